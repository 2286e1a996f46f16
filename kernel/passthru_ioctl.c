// SPDX-License-Identifier: GPL-2.0
/*
 * The NVMe ioctls of /dev/zcblk<N>c, as ng's: the synchronous twins of
 * the uring_cmds, on the same path (passthru.c) but waiting for their
 * request.
 */
#include <linux/blk-mq.h>
#include <linux/fs.h>
#include <linux/nvme.h>
#include <linux/nvme_ioctl.h>
#include <linux/uaccess.h>

#include "dev.h"
#include "format.h"
#include "meta.h"
#include "nvme.h"
#include "passthru.h"
#include "pi.h"
#include "pin.h"

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
