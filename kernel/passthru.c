// SPDX-License-Identifier: GPL-2.0
/*
 * The passthrough path of /dev/zcblk<N>c: the NVMe ioctls and io_uring
 * uring_cmd of /dev/ngXnY (chardev.c registers the node).
 *
 * A command: snapshot (READ_ONCE, once) -> validate -> a map slot with
 * our own bio over the pinned user pages -> a request carrying it ->
 * queue_rq executes it -> end_io records, ends the request and punts to
 * task context -> unpin, give the slot back, post.
 */
#include <linux/blk-mq.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/nvme.h>
#include <linux/nvme_ioctl.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <uapi/linux/io_uring.h>

#include "compat.h"
#include "dev.h"
#include "format.h"
#include "meta.h"
#include "nvme.h"
#include "passthru.h"
#include "pi.h"
#include "pin.h"

/*
 * io_uring's 32-byte per-command area: what the command needs after its
 * request has ended, until its CQE is posted.
 */
struct zcblk_uring_pdu {
	struct zcblk_map *map;		/* user pages' slot, or NULL */
	/*
	 * The poll queue a polled command completes on, for
	 * ->uring_cmd_iopoll; NULL once its request has ended. The queue's
	 * state is the disk object's, which the command's file keeps.
	 */
	struct zcblk_hctx *poll_queue;
	u64 result;			/* the command's, from end_io */
	int status;
	/*
	 * ZCBLK_UC_ISSUING while zcblk_pt_uring_cmd() executes the command,
	 * when an end_io in the issuing task (the request's @issuer) may
	 * leave the completion to the issue (ZCBLK_UC_INLINE); QUEUED after.
	 */
	u8 state;
};

enum {
	ZCBLK_UC_QUEUED,
	ZCBLK_UC_ISSUING,
	ZCBLK_UC_INLINE,
};

static struct zcblk_uring_pdu *zcblk_uring_pdu(struct io_uring_cmd *ioucmd)
{
	BUILD_BUG_ON(sizeof(struct zcblk_uring_pdu) > sizeof(ioucmd->pdu));
	return (struct zcblk_uring_pdu *)ioucmd->pdu;
}

/* The 32-bit ABI's nvme_user_io has no tail padding: another number. */
struct zcblk_user_io32 {
	__u8	opcode;
	__u8	flags;
	__u16	control;
	__u16	nblocks;
	__u16	rsvd;
	__u64	metadata;
	__u64	addr;
	__u64	slba;
	__u32	dsmgmt;
	__u32	reftag;
	__u16	apptag;
	__u16	appmask;
} __packed;
#define ZCBLK_IOCTL_SUBMIT_IO32	_IOW('N', 0x42, struct zcblk_user_io32)

/* A command as its ioctl or SQE gave it, read once. */
struct zcblk_pt_args {
	struct zcblk_nvme_cmd nc;
	u64 addr;
	u32 data_len;		/* bytes; the iovec count when @vec */
	u64 metadata;
	u32 metadata_len;
	u32 nonzero_rsvd;	/* flags and reserved fields, or'ed */
	bool vec;
	bool fixed;
};

static void zcblk_pt_exit(struct zcblk_dev *dev)
{
	/*
	 * Inline completion empties the disk after every command: wake
	 * (lock, walk, unlock) only when teardown waits. The value-returning
	 * atomic orders the count before wq_has_sleeper()'s barrier.
	 */
	if (atomic_dec_and_test(&dev->pt_issuing) &&
	    wq_has_sleeper(&dev->pt_wait))
		wake_up_all(&dev->pt_wait);
}

/*
 * Counts a command that is about to allocate a request. Pairs with the
 * barrier in dev.c's teardown: either this sees REMOVING, or teardown
 * waits until the command has executed (or given up) before it frees the
 * tag set; and with zcblk_dev_quiesced()'s: either this sees a format
 * (@fmt_seq, read before the command was checked, is no longer current),
 * or the format sees this command and does not run.
 */
static int zcblk_pt_enter(struct zcblk_dev *dev, unsigned int fmt_seq)
{
	atomic_inc(&dev->pt_issuing);
	/* Count before looking at the state; teardown orders the reverse. */
	smp_mb__after_atomic();
	if (zcblk_dev_live(dev) && READ_ONCE(dev->fmt_seq) == fmt_seq)
		return 0;
	zcblk_pt_exit(dev);
	/* Checked against a format that is no more, or is changing */
	return zcblk_dev_live(dev) ? ZCBLK_STATUS_FORMATTING : -ENODEV;
}

/**
 * zcblk_pt_wait_idle() - wait for the commands still issuing
 * @dev: the disk being torn down
 *
 * Pairs with zcblk_pt_enter(): a command that saw the disk LIVE there may
 * still be allocating or executing its request; teardown waits for it before
 * it frees the tag set.
 *
 * Context: process context; may sleep.
 */
void zcblk_pt_wait_idle(struct zcblk_dev *dev)
{
	wait_event(dev->pt_wait, !atomic_read(&dev->pt_issuing));
}

/* Trims @iov to its first @bytes, which it has; the segments left. */
static unsigned int zcblk_iov_trim(struct iovec *iov, unsigned int nr,
				   u64 bytes)
{
	unsigned int i;

	for (i = 0; i < nr && bytes; i++) {
		if (iov[i].iov_len > bytes)
			iov[i].iov_len = bytes;
		bytes -= iov[i].iov_len;
	}
	return i;
}

/*
 * Takes a map slot and pins into it the first @bytes of the command's user
 * buffer, vectored (@iov, @nr_segs, which it trims) or plain, and its
 * @md_bytes of separate metadata. Only what the command moves is mapped:
 * the rest of a longer buffer is never touched, and need not be mapped
 * memory. A registered buffer's command (@bytes 0) takes a slot for its
 * metadata alone. Inlined at both its calls: one of them runs for every
 * command with user pages.
 */
static __always_inline struct zcblk_map *
zcblk_pt_map(struct zcblk_dev *dev, const struct zcblk_pt_args *a,
	     blk_opf_t opf, struct iovec *iov, unsigned int nr_segs, u64 bytes,
	     u32 md_bytes, unsigned int align, bool nowait)
{
	struct zcblk_map *map;
	struct iovec one;
	long pages = 0;
	int ret = 0;

	if (a->vec) {
		nr_segs = zcblk_iov_trim(iov, nr_segs, bytes);
	} else {
		one.iov_base = u64_to_user_ptr(a->addr);
		one.iov_len = bytes;
		iov = &one;
		nr_segs = 1;
	}
	if (bytes)
		pages = zcblk_map_user_pages(iov, nr_segs, align);
	if (pages < 0)
		return ERR_PTR(pages);
	map = zcblk_map_get(dev, &dev->maps, pages, nowait);
	if (IS_ERR(map))
		return map;
	if (bytes)
		ret = zcblk_map_user(dev, map, opf, iov, nr_segs, nowait);
	else
		bio_init(&map->bio, NULL, NULL, 0, opf);
	if (ret)
		goto err;
	if (md_bytes) {
		ret = zcblk_map_md(dev, map, opf, a->metadata, md_bytes,
				   nowait);
		if (ret) {
			zcblk_map_release(dev, map);
			return ERR_PTR(nowait ? -EAGAIN : ret);
		}
	}
	return map;

err:
	/* Pages to fault in: the worker io_uring retries from may. */
	zcblk_map_put(&dev->maps, map);
	return ERR_PTR(nowait ? -EAGAIN : ret);
}

/*
 * Validates @a, maps its data and makes a request ready to execute, the
 * caller inside zcblk_pt_enter(). Everything a user controls is checked
 * before anything is allocated. Nothing that may wait for userspace (a
 * page fault, the disk's pin budget) happens while a request is held, so
 * that no queue freeze or removal waits on it.
 */
static int zcblk_pt_prepare(struct zcblk_dev *dev, struct file *file,
			    const struct zcblk_pt_args *a,
			    struct io_uring_cmd *ioucmd,
			    unsigned int issue_flags, struct request **rqp,
			    struct zcblk_map **mapp)
{
	bool nowait = issue_flags & IO_URING_F_NONBLOCK;
	struct iovec fast[UIO_FASTIOV], *iov = NULL, *segs = NULL;
	struct zcblk_map *map = NULL;
	struct zcblk_nvme_data data;
	unsigned int nr_segs = 0;
	struct iov_iter iter, md_iter;
	u32 md_pin;
	struct zcblk_pdu *cmd;
	struct request *rq;
	unsigned int align;
	size_t fixed = 0;
	blk_opf_t opf;
	u64 bytes;
	int ret;

	unsigned int fmt_seq;

	/* An fd that outlives its disk only ever sees -ENODEV. */
	if (!zcblk_dev_live(dev))
		return -ENODEV;
	/* The format the command is checked against (zcblk_pt_enter()) */
	fmt_seq = smp_load_acquire(&dev->fmt_seq);
	if (fmt_seq & 1)
		return ZCBLK_STATUS_FORMATTING;
	if (a->nonzero_rsvd || (a->fixed && a->vec))
		return -EINVAL;
	ret = zcblk_nvme_prep(dev, &a->nc, &data);
	if (ret)
		return ret;
	/*
	 * Metadata: a buffer of its own for the commands of a separate-
	 * metadata format that move it, of at least their length (a shorter
	 * one would be a DMA past its end); none otherwise.
	 */
	if (data.md_bytes ? !a->metadata || a->metadata_len < data.md_bytes :
			    a->metadata || a->metadata_len)
		return -EINVAL;
	/*
	 * Inside the command's registered buffer, metadata is taken from it
	 * as the data is, pinned by nobody; anywhere else it is pinned.
	 */
	md_pin = data.md_bytes;
	if (md_pin && a->fixed &&
	    !io_uring_cmd_import_fixed(a->metadata, md_pin,
				       data.to_dev ? ITER_SOURCE : ITER_DEST,
				       &md_iter, ioucmd))
		md_pin = 0;
	ret = zcblk_nvme_access(&a->nc, file->f_mode);
	if (ret)
		return ret;

	bytes = a->data_len;
	if (a->vec) {
		if (a->data_len > ZCBLK_MAX_SEGS)
			return -EINVAL;
		bytes = 0;
		if (a->data_len) {
			ssize_t n;

			/* Leaves iov NULL, or an array for us to free. */
			iov = fast;
			n = import_iovec(data.to_dev ? ITER_SOURCE :
						 ITER_DEST,
						 u64_to_user_ptr(a->addr),
						 a->data_len, UIO_FASTIOV,
						 &iov, &iter);
			if (n < 0)
				return n;
			bytes = n;
			segs = (struct iovec *)zcblk_iter_iov(&iter);
			nr_segs = iter.nr_segs;
		}
	} else if (bytes && !a->addr) {
		return -EINVAL;
	}
	/*
	 * A buffer longer than the command moves is normal (nvme-cli rounds
	 * its size up): the device moves what the command says. A shorter
	 * one would be a DMA past its end on hardware.
	 */
	ret = -EINVAL;
	if (bytes > ZCBLK_MAX_TRANSFER ||
	    (data.bytes != ZCBLK_ANY_LEN && bytes < data.bytes))
		goto out_free_iov;
	if (data.bytes != ZCBLK_ANY_LEN)
		bytes = data.bytes;

	/* Only data that reaches a backing file needs its alignment. */
	align = data.media ? dev->dio_align : 0;
	opf = data.to_dev ? REQ_OP_DRV_OUT : REQ_OP_DRV_IN;
	if (nowait)
		opf |= REQ_NOWAIT;
	/* Only commands with data can be polled, as ng's. */
	if ((issue_flags & IO_URING_F_IOPOLL) && bytes && dev->cfg.poll_queues)
		opf |= REQ_POLLED;
	/*
	 * io_uring's nonblocking issue, the fast path: a request first, then
	 * the pages, if they are there (no faults, see zcblk_map_user()).
	 * Anything that would wait makes io_uring retry from a worker. There,
	 * and for the ioctls, the pages come first: faulting them in may take
	 * as long as their owner likes, and no request waits meanwhile.
	 */
	if (((bytes && !a->fixed) || md_pin) && !nowait) {
		map = zcblk_pt_map(dev, a, opf, segs, nr_segs,
				   a->fixed ? 0 : bytes, md_pin, align, false);
		if (IS_ERR(map)) {
			ret = PTR_ERR(map);
			goto out_free_iov;
		}
	}
	ret = zcblk_pt_enter(dev, fmt_seq);
	if (ret)
		goto out_release_map;
	rq = blk_mq_alloc_request(dev->queue, opf,
				  nowait ? BLK_MQ_REQ_NOWAIT : 0);
	if (IS_ERR(rq)) {
		ret = PTR_ERR(rq);
		goto out_exit;
	}
	cmd = blk_mq_rq_to_pdu(rq);
	if (bytes && a->fixed) {
		/* io_uring's pages: no pin, no fault, nothing after end_io */
		ret = io_uring_cmd_import_fixed(a->addr, bytes,
						op_is_write(opf) ?
						ITER_SOURCE : ITER_DEST,
						&iter, ioucmd);
		if (!ret)
			ret = zcblk_map_bvec(&cmd->fixed_bio, opf, &iter,
					     align);
		if (!ret)
			ret = zcblk_map_attach(dev->disk, rq, &cmd->fixed_bio);
		if (ret)
			goto out_free_rq;
		fixed = bytes;
	}
	if (((bytes && !a->fixed) || md_pin) && nowait) {
		map = zcblk_pt_map(dev, a, opf, segs, nr_segs,
				   a->fixed ? 0 : bytes, md_pin, align, true);
		if (IS_ERR(map)) {
			ret = PTR_ERR(map);
			map = NULL;
			goto out_free_rq;
		}
	}
	cmd->nc = a->nc;
	cmd->status = 0;
	cmd->result = 0;
	/* Never past the disk's: removal and freezes wait that long at most. */
	if (a->nc.timeout_ms)
		rq->timeout = min_t(unsigned long,
				    msecs_to_jiffies(a->nc.timeout_ms),
				    dev->tag_set.timeout);
	cmd->md_bvecs = map ? map->md_bvecs : NULL;
	cmd->md_nr = map ? map->md_nr : 0;
	if (data.md_bytes && !md_pin) {
		ret = zcblk_map_md_bvec(cmd->md_fixed, &md_iter);
		if (ret < 0)
			goto out_free_rq;
		cmd->md_bvecs = cmd->md_fixed;
		cmd->md_nr = ret;
		fixed += iov_iter_count(&md_iter);
	}
	if (map && map->nr_pinned) {
		ret = zcblk_map_attach(dev->disk, rq, &map->bio);
		if (ret)
			goto out_free_rq;
	}
	/* Not a kfree(NULL) call for every command that is not vectored */
	if (unlikely(iov))
		kfree(iov);
	/* Once nothing can fail: a command io-wq issues again counts once. */
	if (fixed)
		zcblk_count_fixed(dev, fixed);
	zcblk_stat_inc(dev, pt_inflight);	/* until the CQE or return */
	*rqp = rq;
	*mapp = map;
	return 0;

out_free_rq:
	blk_mq_free_request(rq);
out_exit:
	zcblk_pt_exit(dev);
out_release_map:
	if (map)
		zcblk_map_release(dev, map);
out_free_iov:
	kfree(iov);
	return ret;
}

/* The status a caller sees: errno for host-side failures, else NVMe's. */
static int zcblk_pt_status(struct request *rq, blk_status_t sts)
{
	struct zcblk_pdu *cmd = blk_mq_rq_to_pdu(rq);

	return sts ? blk_status_to_errno(sts) : cmd->status;
}

/* Sync ioctls: the same path, waiting for the request. */
static int zcblk_pt_sync(struct zcblk_dev *dev, struct file *file,
			 const struct zcblk_pt_args *a, u64 *result)
{
	struct zcblk_map *map;
	struct zcblk_pdu *cmd;
	struct request *rq;
	int status;

	/* Not a request: it waits for the disk to have none (format.c). */
	if (a->nc.admin && a->nc.opcode == nvme_admin_format_nvm) {
		if (a->nonzero_rsvd || a->metadata || a->metadata_len)
			return -EINVAL;
		status = zcblk_nvme_access(&a->nc, file->f_mode);
		return status ?: zcblk_format(dev, &a->nc);
	}
	status = zcblk_pt_prepare(dev, file, a, NULL, 0, &rq, &map);
	if (status)
		return status;
	cmd = blk_mq_rq_to_pdu(rq);
	status = zcblk_pt_status(rq, blk_execute_rq(rq, false));
	*result = cmd->result;
	blk_mq_free_request(rq);
	zcblk_pt_exit(dev);
	if (map)
		zcblk_map_release(dev, map);
	zcblk_stat_dec(dev, pt_inflight);
	return status;
}

/* NVME_IOCTL_{ADMIN,IO}_CMD and their 64-bit-result twins. */
static int zcblk_ioctl_passthru(struct zcblk_dev *dev, struct file *file,
				void __user *argp, bool admin, bool is64,
				bool vec)
{
	struct nvme_passthru_cmd64 c = {};
	struct zcblk_pt_args a = {};
	u64 result = 0;
	int status;

	/* The 32-bit-result struct ends where the 64-bit one's rsvd2 is. */
	if (copy_from_user(&c, argp, is64 ? sizeof(c) :
			   sizeof(struct nvme_passthru_cmd)))
		return -EFAULT;
	if (!is64)
		c.rsvd2 = 0;	/* that is its result field: output only */
	a.nc = (struct zcblk_nvme_cmd){
		.opcode = c.opcode, .admin = admin, .nsid = c.nsid,
		.cdw2 = c.cdw2, .cdw3 = c.cdw3,
		.cdw10 = c.cdw10, .cdw11 = c.cdw11, .cdw12 = c.cdw12,
		.cdw13 = c.cdw13, .cdw14 = c.cdw14, .cdw15 = c.cdw15,
		.timeout_ms = c.timeout_ms,
	};
	a.addr = c.addr;
	a.data_len = c.data_len;
	a.metadata = c.metadata;
	a.metadata_len = c.metadata_len;
	a.nonzero_rsvd = c.flags | c.rsvd1 | c.rsvd2;
	a.vec = vec;

	status = zcblk_pt_sync(dev, file, &a, &result);
	if (status < 0)
		return status;
	if (is64 ? put_user(result, &((struct nvme_passthru_cmd64 __user *)
				      argp)->result) :
		   put_user((u32)result, &((struct nvme_passthru_cmd __user *)
					   argp)->result))
		return -EFAULT;
	return status;
}

/* NVME_IOCTL_SUBMIT_IO: read, write or compare only, as ng. */
static int zcblk_ioctl_submit_io(struct zcblk_dev *dev, struct file *file,
				 void __user *argp, bool is32)
{
	struct nvme_user_io io = {};
	struct zcblk_pt_args a = {};
	u64 result;

	if (copy_from_user(&io, argp, is32 ? sizeof(struct zcblk_user_io32) :
			   sizeof(io)))
		return -EFAULT;
	switch (io.opcode) {
	case nvme_cmd_read:
	case nvme_cmd_write:
	case nvme_cmd_compare:
		break;
	default:
		return -EINVAL;
	}
	a.nc = (struct zcblk_nvme_cmd){
		.opcode = io.opcode, .nsid = ZCBLK_NSID,
		.cdw10 = lower_32_bits(io.slba),
		.cdw11 = upper_32_bits(io.slba),
		.cdw12 = io.nblocks | (u32)io.control << 16,
		.cdw13 = io.dsmgmt, .cdw14 = io.reftag,
		.cdw15 = io.apptag | (u32)io.appmask << 16,
	};
	a.addr = io.addr;
	if (zcblk_pi_strips(dev, a.nc.cdw12)) {
		/* PRACT with PI-only metadata: the host moves none, as ng */
		if (io.metadata)
			return -EINVAL;
		a.data_len = ((u64)io.nblocks + 1) * dev->cfg.block_size;
	} else {
		a.data_len = zcblk_md_data_bytes(dev, (u32)io.nblocks + 1);
		a.metadata = io.metadata;
		/* Its length the command's, dword aligned, as the NVMe driver */
		if (zcblk_md_separate(dev)) {
			a.metadata_len = ((u32)io.nblocks + 1) *
					 zcblk_md_size(dev);
			if (io.metadata & 3)
				return -EINVAL;
		}
	}
	a.nonzero_rsvd = io.flags | io.rsvd;
	return zcblk_pt_sync(dev, file, &a, &result);
}

/**
 * zcblk_pt_ioctl() - the char device's ioctls: NVMe passthrough and I/O
 * @file: an open /dev/zcblk<N>c
 * @cmd: the ioctl number
 * @arg: its argument, a user pointer for all but NVME_IOCTL_ID and
 *       NVME_IOCTL_RESCAN
 *
 * Context: process context; may sleep.
 * Return: what the ioctl returns: the command's result, an NVMe status
 * (positive) or a negative errno; -ENOTTY for an ioctl we do not have.
 */
long zcblk_pt_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct zcblk_dev *dev = file->private_data;
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case NVME_IOCTL_ID:
		return zcblk_dev_live(dev) ? ZCBLK_NSID : -ENODEV;
	case NVME_IOCTL_RESCAN:
		/* As a controller's node: its namespace is always current */
		return zcblk_dev_live(dev) ? 0 : -ENODEV;
	case NVME_IOCTL_ADMIN_CMD:
		return zcblk_ioctl_passthru(dev, file, argp, true, false, false);
	case NVME_IOCTL_ADMIN64_CMD:
		return zcblk_ioctl_passthru(dev, file, argp, true, true, false);
	case NVME_IOCTL_IO_CMD:
		return zcblk_ioctl_passthru(dev, file, argp, false, false,
					    false);
	case NVME_IOCTL_IO64_CMD:
		return zcblk_ioctl_passthru(dev, file, argp, false, true,
					    false);
	case NVME_IOCTL_IO64_CMD_VEC:
		return zcblk_ioctl_passthru(dev, file, argp, false, true, true);
	case NVME_IOCTL_SUBMIT_IO:
		return zcblk_ioctl_submit_io(dev, file, argp, false);
	case ZCBLK_IOCTL_SUBMIT_IO32:
		return zcblk_ioctl_submit_io(dev, file, argp, true);
	default:
		return -ENOTTY;
	}
}

/* The submitter's task: unpin (dirtying may sleep), post. */
static void zcblk_uring_task_cb(struct io_uring_cmd *ioucmd,
				unsigned int issue_flags)
{
	struct zcblk_uring_pdu *pdu = zcblk_uring_pdu(ioucmd);
	struct zcblk_dev *dev = ioucmd->file->private_data;

	if (pdu->map)
		zcblk_map_release(dev, pdu->map);
	/* Before the CQE: posting it may drop the last reference on @dev. */
	zcblk_stat_dec(dev, pt_inflight);
	io_uring_cmd_done(ioucmd, pdu->status, pdu->result, issue_flags);
}

/*
 * Any context: record the outcome, leave the unpin and the CQE to the
 * submitter's task, and end the request now, so that nothing in blk-mq
 * (removal, a freeze, the timeout handler) waits for userspace to reap.
 */
static enum rq_end_io_ret zcblk_uring_end_io(struct request *rq,
					     blk_status_t sts)
{
	struct io_uring_cmd *ioucmd = rq->end_io_data;
	struct zcblk_uring_pdu *pdu = zcblk_uring_pdu(ioucmd);
	struct zcblk_pdu *cmd = blk_mq_rq_to_pdu(rq);

	pdu->status = zcblk_pt_status(rq, sts);
	pdu->result = cmd->result;
	WRITE_ONCE(pdu->poll_queue, NULL);
	/*
	 * Done within its own issue (inline completion): the issue returns
	 * the status, and io_uring posts it with its batch, sparing a task
	 * work round trip (and, on 6.1, a locked one-at-a-time post). The
	 * CQE of a returned status has no result dword: only for 0 and 0.
	 */
	if (READ_ONCE(pdu->state) == ZCBLK_UC_ISSUING &&
	    cmd->issuer == current && in_task() &&
	    !pdu->status && !pdu->result)
		pdu->state = ZCBLK_UC_INLINE;
	else
		io_uring_cmd_complete_in_task(ioucmd, zcblk_uring_task_cb);
	return RQ_END_IO_FREE;
}

/**
 * zcblk_pt_uring_cmd() - an IORING_OP_URING_CMD on the char device
 * @ioucmd: the command; its SQE holds a struct nvme_uring_cmd
 * @issue_flags: io_uring's IO_URING_F_* for this issue
 *
 * Context: the submitting task, or io-wq; blocks only without
 * IO_URING_F_NONBLOCK.
 * Return: -EIOCBQUEUED when the CQE will be posted later, -EAGAIN to be
 * issued again from io-wq, else the result to post now (a negative errno).
 */
int zcblk_pt_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
{
	struct zcblk_uring_pdu *pdu = zcblk_uring_pdu(ioucmd);
	struct zcblk_dev *dev = ioucmd->file->private_data;
	const struct nvme_uring_cmd *uc;
	struct zcblk_pt_args a;
	struct zcblk_map *map;
	struct zcblk_pdu *cmd;
	struct blk_plug plug;
	struct request *rq;
	bool may_inline;
	int ret;

	if ((issue_flags & (IO_URING_F_SQE128 | IO_URING_F_CQE32)) !=
	    (IO_URING_F_SQE128 | IO_URING_F_CQE32))
		return -EOPNOTSUPP;
	/* Every field set below: no zeroing of the whole for each command */
	switch (ioucmd->cmd_op) {
	case NVME_URING_CMD_IO:
		a.vec = false;
		break;
	case NVME_URING_CMD_IO_VEC:
		a.vec = true;
		break;
	default:
		return -ENOTTY;
	}

	/* Shared with userspace and reissued from a copy on -EAGAIN. */
	uc = zcblk_uring_cmd_payload(ioucmd);
	a.nc.opcode = READ_ONCE(uc->opcode);
	a.nc.admin = false;
	a.nc.nsid = READ_ONCE(uc->nsid);
	a.nc.cdw2 = READ_ONCE(uc->cdw2);
	a.nc.cdw3 = READ_ONCE(uc->cdw3);
	a.nc.cdw10 = READ_ONCE(uc->cdw10);
	a.nc.cdw11 = READ_ONCE(uc->cdw11);
	a.nc.cdw12 = READ_ONCE(uc->cdw12);
	a.nc.cdw13 = READ_ONCE(uc->cdw13);
	a.nc.cdw14 = READ_ONCE(uc->cdw14);
	a.nc.cdw15 = READ_ONCE(uc->cdw15);
	a.nc.timeout_ms = READ_ONCE(uc->timeout_ms);
	a.addr = READ_ONCE(uc->addr);
	a.data_len = READ_ONCE(uc->data_len);
	a.metadata = READ_ONCE(uc->metadata);
	a.metadata_len = READ_ONCE(uc->metadata_len);
	a.nonzero_rsvd = READ_ONCE(uc->flags) | READ_ONCE(uc->rsvd1) |
			 READ_ONCE(uc->rsvd2);
	a.fixed = ioucmd->flags & IORING_URING_CMD_FIXED;

	ret = zcblk_pt_prepare(dev, ioucmd->file, &a, ioucmd, issue_flags,
			       &rq, &map);
	if (ret)
		return ret == -ERESTARTSYS ? -EINTR : ret;
	pdu->map = map;
	pdu->state = ZCBLK_UC_QUEUED;
	pdu->poll_queue = rq->cmd_flags & REQ_POLLED ?
			  rq->mq_hctx->driver_data : NULL;
	rq->end_io = zcblk_uring_end_io;
	rq->end_io_data = ioucmd;
	if (current->plug) {
		blk_execute_rq_nowait(rq, false);
		zcblk_pt_exit(dev);
		return -EIOCBQUEUED;
	}
	/*
	 * io_uring plugs only batches of three or more; without a plug,
	 * blk_execute_rq_nowait() inserts the request and runs the queue.
	 * A plug of our own issues it directly, as submit_bio() does, and
	 * a backend that completes inline then completes it before we
	 * return. Only in io_uring's nonblocking issue, which runs in the
	 * task the completion's task work would (never in io-wq for a
	 * uring_cmd); never on IOPOLL rings, where io_uring would poll a
	 * command it has already completed.
	 */
	may_inline = (issue_flags &
		      (IO_URING_F_NONBLOCK | IO_URING_F_IOPOLL)) ==
		     IO_URING_F_NONBLOCK;
	if (may_inline) {
		cmd = blk_mq_rq_to_pdu(rq);
		cmd->issuer = current;
		pdu->state = ZCBLK_UC_ISSUING;
	}
	blk_start_plug(&plug);
	blk_execute_rq_nowait(rq, false);
	blk_finish_plug(&plug);
	/* The request may be gone from here on: only the pdu is ours. */
	zcblk_pt_exit(dev);
	if (!may_inline)
		return -EIOCBQUEUED;
	if (pdu->state == ZCBLK_UC_INLINE) {
		if (map)
			zcblk_map_release(dev, map);
		zcblk_stat_dec(dev, pt_inflight);
		return 0;
	}
	/*
	 * Not done yet: a later end_io in this task (from another plug's
	 * dispatch) must not take it for inline. The pdu is still ours: the
	 * command is posted only by the task work its end_io adds to this
	 * task (the issuer), which runs after we return.
	 */
	WRITE_ONCE(pdu->state, ZCBLK_UC_QUEUED);
	return -EIOCBQUEUED;
}

/**
 * zcblk_pt_uring_cmd_iopoll() - poll for a command's completion
 * @ioucmd: a command issued on an IOPOLL ring
 * @iob: io_uring's completion batch
 * @poll_flags: unused; blk-mq's poll flags do not apply to our queues
 *
 * This may run in any task that waits on the ring, concurrently with the
 * command's completion (on 6.1, not always under the ring's lock): it looks
 * only at what the disk object owns, which the command's file keeps, never
 * at the request, which ends at end_io.
 *
 * Context: any task; does not sleep.
 * Return: the number of commands completed.
 */
int zcblk_pt_uring_cmd_iopoll(struct io_uring_cmd *ioucmd,
			      struct io_comp_batch *iob, unsigned int poll_flags)
{
	struct zcblk_hctx *zh = READ_ONCE(zcblk_uring_pdu(ioucmd)->poll_queue);

	return zh ? zcblk_hctx_reap(zh, iob) : 0;
}
