// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Synchronous passthrough helpers: NVMe commands through the char
 * device's ioctls (NVME_IOCTL_{IO,ADMIN}_CMD and their 64-bit twins).
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <linux/nvme_ioctl.h>

#include "pt.h"

/* ioctl's answer: the NVMe status (0 included), or -errno. */
static int pt_ioctl(int fd, unsigned long req, void *arg)
{
	int ret = ioctl(fd, req, arg);

	return ret < 0 ? -errno : ret;
}

ZCBLK_EXPORT int zcblk_pt_io_cmd(int fd, struct nvme_passthru_cmd64 *cmd)
{
	if (!cmd)
		return -EINVAL;
	return pt_ioctl(fd, NVME_IOCTL_IO64_CMD, cmd);
}

ZCBLK_EXPORT int zcblk_pt_admin_cmd(int fd, struct nvme_passthru_cmd64 *cmd)
{
	if (!cmd)
		return -EINVAL;
	return pt_ioctl(fd, NVME_IOCTL_ADMIN64_CMD, cmd);
}

/* @f as an I/O command of the namespace, through NVME_IOCTL_IO_CMD. */
static int io_fields(int fd, const struct zcblk_pt_fields *f)
{
	struct nvme_passthru_cmd c = {
		.opcode = f->opcode,
		.nsid = ZCBLK_PT_NSID,
		.addr = f->addr,
		.data_len = f->data_len,
		.cdw10 = f->cdw10,
		.cdw11 = f->cdw11,
		.cdw12 = f->cdw12,
	};

	return pt_ioctl(fd, NVME_IOCTL_IO_CMD, &c);
}

ZCBLK_EXPORT int zcblk_pt_read(int fd, __u64 slba, __u32 nblocks, void *buf,
			       __u32 len)
{
	struct zcblk_pt_fields f;
	int ret;

	ret = zcblk_pt_rw_fields(&f, ZCBLK_OP_READ, slba, nblocks, buf, len);
	return ret ? ret : io_fields(fd, &f);
}

ZCBLK_EXPORT int zcblk_pt_write(int fd, __u64 slba, __u32 nblocks,
				const void *buf, __u32 len)
{
	struct zcblk_pt_fields f;
	int ret;

	ret = zcblk_pt_rw_fields(&f, ZCBLK_OP_WRITE, slba, nblocks, buf, len);
	return ret ? ret : io_fields(fd, &f);
}

ZCBLK_EXPORT int zcblk_pt_flush(int fd)
{
	struct zcblk_pt_fields f = { .opcode = ZCBLK_OP_FLUSH };

	return io_fields(fd, &f);
}

ZCBLK_EXPORT int zcblk_pt_write_zeroes(int fd, __u64 slba, __u32 nblocks,
				       unsigned int flags)
{
	struct zcblk_pt_fields f;
	int ret;

	ret = zcblk_pt_wz_fields(&f, slba, nblocks, flags);
	return ret ? ret : io_fields(fd, &f);
}

ZCBLK_EXPORT int zcblk_pt_dsm(int fd, const struct zcblk_dsm_range *ranges,
			      __u32 nr_ranges)
{
	struct zcblk_pt_fields f;
	int ret;

	ret = zcblk_pt_dsm_fields(&f, ranges, nr_ranges);
	return ret ? ret : io_fields(fd, &f);
}

ZCBLK_EXPORT int zcblk_pt_identify(int fd, __u32 nsid, __u8 cns, void *buf)
{
	struct nvme_admin_cmd c = {
		.opcode = ZCBLK_ADM_IDENTIFY,
		.nsid = nsid,
		.addr = (uintptr_t)buf,
		.data_len = ZCBLK_IDENTIFY_LEN,
		.cdw10 = cns,
	};

	if (!buf)
		return -EINVAL;
	return pt_ioctl(fd, NVME_IOCTL_ADMIN_CMD, &c);
}
