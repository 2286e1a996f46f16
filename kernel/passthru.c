// SPDX-License-Identifier: GPL-2.0
/*
 * The passthrough path of /dev/zcblk<N>c: the io_uring uring_cmds of
 * /dev/ngXnY, and what its ioctls (passthru_ioctl.c) share with them
 * (chardev.c registers the node).
 *
 * A command: snapshot (READ_ONCE, once) -> validate -> a map slot with
 * our own bio over the pinned user pages -> a request carrying it ->
 * queue_rq executes it -> end_io records, ends the request and punts to
 * task context -> unpin, give the slot back, post.
 */
#include <linux/blk-mq.h>
#include <linux/fs.h>
#include <linux/nvme.h>
#include <linux/nvme_ioctl.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <uapi/linux/io_uring.h>

#include "compat.h"
#include "dev.h"
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

/**
 * zcblk_pt_prepare() - check a command, map its buffers, make its request
 * @dev: the char device's disk
 * @file: the open char device, for its access mode
 * @a: the command, read once from its ioctl or SQE
 * @ioucmd: the uring_cmd, or NULL for an ioctl
 * @issue_flags: io_uring's issue flags (0 for an ioctl)
 * @rqp: where the request goes
 * @mapp: where the user pages' map slot goes (NULL when none is pinned)
 *
 * Everything a user controls is checked before anything is allocated.
 * Nothing that may wait for userspace (a page fault, the disk's pin budget)
 * happens while a request is held, so that no queue freeze or removal
 * waits on it. On success the caller is inside zcblk_pt_enter(), and owes
 * the request's end, zcblk_pt_exit() and the map's release.
 *
 * Context: process context; sleeps only without IO_URING_F_NONBLOCK.
 * Return: 0, an NVMe status (positive), or a negative errno (-EAGAIN:
 * retry where blocking is allowed).
 */
int zcblk_pt_prepare(struct zcblk_dev *dev, struct file *file,
		     const struct zcblk_pt_args *a, struct io_uring_cmd *ioucmd,
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
 * Return: -EIOCBQUEUED when the CQE is posted apart (an NVMe status found
 * here is posted before we return), -EAGAIN to be issued again from io-wq,
 * 0 for a command done inline, else a negative errno to post.
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
	if (ret > 0) {
		/*
		 * An NVMe status is a completion, as a controller's is, and
		 * fails no link. 6.1's io_uring takes a positive return for
		 * neither: io-wq would never post it, and the inline issue
		 * would fail the links after it (ublk does the same).
		 */
		pdu->poll_queue = NULL;
		io_uring_cmd_done(ioucmd, ret, 0, issue_flags);
		return -EIOCBQUEUED;
	}
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
