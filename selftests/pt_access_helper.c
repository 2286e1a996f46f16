// SPDX-License-Identifier: GPL-2.0
/*
 * pt_access_helper: open a zcblk char device with a given mode and issue
 * one NVMe I/O command through NVME_IOCTL_IO_CMD, or with -u through
 * io_uring (IORING_OP_URING_CMD, NVME_URING_CMD_IO), for pt_access.sh
 * (which runs it as different users) and readonly.sh.  Not a test by
 * itself.
 *
 *   pt_access_helper [-u] <node> <ro|rw> <read|write|compare|write-zeroes|dsm|set-features> [<lba> [<byte>]]
 *
 * ro opens O_RDONLY, rw O_RDWR.  One logical block at <lba> (default 8):
 * write fills it with <byte> (default 0x5a), write-zeroes zeroes it, dsm
 * deallocates it, read reads it into a buffer filled beforehand with
 * bytes that differ from their neighbours, so that a Read that moves
 * nothing shows as "fill=mixed".  The block size comes from Identify
 * Namespace, issued first on the same descriptor.
 *
 * Prints one line and exits 0:
 *   "open: <ERRNO>"       open() failed, e.g. "open: EACCES"
 *   "ok"                  the command succeeded (read adds " fill=5a" when
 *                         every byte of the block is 0x5a, else
 *                         " fill=mixed")
 *   "<ERRNO>"             the ioctl failed with that errno, e.g. "EACCES"
 *   "status 0x<hex>"      the command completed with an NVMe status
 * Exits 1 (with a message on stderr) on bad usage or if Identify fails.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/nvme_ioctl.h>

#define NSID		1
#define OP_WRITE	0x01
#define OP_READ		0x02
#define OP_COMPARE	0x05
#define OP_WRITE_ZEROES	0x08
#define OP_DSM		0x09
#define OP_IDENTIFY	0x06
#define ADM_SET_FEATURES 0x09
#define FEAT_VWC	0x06
#define DSM_AD		(1U << 2)

/* The errno's name: the test compares names, not localised messages. */
static const char *errno_name(int err)
{
	switch (err) {
	case EACCES:	return "EACCES";
	case EPERM:	return "EPERM";
	case EINVAL:	return "EINVAL";
	case ENODEV:	return "ENODEV";
	case EFAULT:	return "EFAULT";
	case ENOTTY:	return "ENOTTY";
	case ENOENT:	return "ENOENT";
	case EROFS:	return "EROFS";
	}
	return strerror(err);
}

static int lba_size(int fd, const char *node)
{
	struct nvme_passthru_cmd cmd = { 0 };
	static unsigned char id[4096] __attribute__((aligned(4096)));
	int ret, fmt;

	cmd.opcode = OP_IDENTIFY;
	cmd.nsid = NSID;
	cmd.addr = (uintptr_t)id;
	cmd.data_len = sizeof(id);
	cmd.cdw10 = 0;		/* CNS 0: Identify Namespace */
	ret = ioctl(fd, NVME_IOCTL_ADMIN_CMD, &cmd);
	if (ret) {
		fprintf(stderr, "%s: Identify Namespace: %s\n", node,
			ret < 0 ? strerror(errno) : "NVMe status");
		return -1;
	}
	fmt = id[26] & 0xf;			/* flbas */
	return 1 << id[128 + 4 * fmt + 2];	/* lbaf[fmt].ds */
}

/*
 * @cmd through io_uring: a ring with SQE128 and CQE32, as NVMe passthrough
 * needs.  The CQE's res: 0, an NVMe status, or -errno; 1 with a message
 * if the ring itself fails.
 */
static int uring_cmd(int fd, const struct nvme_passthru_cmd *cmd, int *res)
{
	struct nvme_uring_cmd uc = {
		.opcode = cmd->opcode,
		.nsid = cmd->nsid,
		.addr = cmd->addr,
		.data_len = cmd->data_len,
		.cdw10 = cmd->cdw10,
		.cdw11 = cmd->cdw11,
		.cdw12 = cmd->cdw12,
	};
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	int ret;

	ret = io_uring_queue_init(4, &ring,
				  IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	if (ret) {
		fprintf(stderr, "io_uring_queue_init: %s\n", strerror(-ret));
		return 1;
	}
	sqe = io_uring_get_sqe(&ring);
	if (!sqe) {
		fprintf(stderr, "io_uring_get_sqe: no SQE\n");
		io_uring_queue_exit(&ring);
		return 1;
	}
	memset(sqe, 0, 128);
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = NVME_URING_CMD_IO;
	memcpy(sqe->cmd, &uc, sizeof(uc));
	ret = io_uring_submit(&ring);
	if (ret == 1)
		ret = io_uring_wait_cqe(&ring, &cqe);
	else
		ret = ret < 0 ? ret : -EIO;
	if (ret) {
		fprintf(stderr, "io_uring: %s\n", strerror(-ret));
		io_uring_queue_exit(&ring);
		return 1;
	}
	*res = cqe->res;
	io_uring_queue_exit(&ring);
	return 0;
}

int main(int argc, char *argv[])
{
	struct nvme_passthru_cmd cmd = { 0 };
	unsigned long long lba = 8;
	unsigned int fill = 0x5a;
	const char *node, *mode, *op;
	bool uring = false, admin = false;
	unsigned char *buf;
	int fd, bs, flags;
	__u32 range[4];
	int i, ret;

	if (argc > 1 && !strcmp(argv[1], "-u")) {
		uring = true;
		argv++;
		argc--;
	}
	if (argc < 4 || argc > 6) {
		fprintf(stderr,
			"usage: %s [-u] <node> <ro|rw> <read|write|compare|write-zeroes|dsm> [<lba> [<byte>]]\n",
			argv[0]);
		return 1;
	}
	node = argv[1];
	mode = argv[2];
	op = argv[3];
	if (argc > 4)
		lba = strtoull(argv[4], NULL, 0);
	if (argc > 5)
		fill = strtoul(argv[5], NULL, 0) & 0xff;
	if (!strcmp(mode, "ro")) {
		flags = O_RDONLY;
	} else if (!strcmp(mode, "rw")) {
		flags = O_RDWR;
	} else {
		fprintf(stderr, "%s: mode must be ro or rw\n", argv[0]);
		return 1;
	}

	fd = open(node, flags | O_CLOEXEC);
	if (fd < 0) {
		printf("open: %s\n", errno_name(errno));
		return 0;
	}
	bs = lba_size(fd, node);
	if (bs < 0)
		return 1;
	buf = aligned_alloc(4096, bs < 4096 ? 4096 : bs);
	if (!buf)
		return 1;
	memset(buf, 0, bs);

	cmd.nsid = NSID;
	cmd.cdw10 = lba & 0xffffffff;
	cmd.cdw11 = lba >> 32;
	if (!strcmp(op, "read")) {
		for (i = 0; i < bs; i++)
			buf[i] = 0xa5 ^ (i & 0xff);
		cmd.opcode = OP_READ;
		cmd.addr = (uintptr_t)buf;
		cmd.data_len = bs;
	} else if (!strcmp(op, "write")) {
		memset(buf, fill, bs);
		cmd.opcode = OP_WRITE;
		cmd.addr = (uintptr_t)buf;
		cmd.data_len = bs;
	} else if (!strcmp(op, "compare")) {
		/* Data to the device (opcode bit 0): a writable fd's, as ng */
		memset(buf, fill, bs);
		cmd.opcode = OP_COMPARE;
		cmd.addr = (uintptr_t)buf;
		cmd.data_len = bs;
	} else if (!strcmp(op, "write-zeroes")) {
		cmd.opcode = OP_WRITE_ZEROES;
	} else if (!strcmp(op, "dsm")) {
		/* One range: context attributes, length, starting LBA. */
		range[0] = htole32(0);
		range[1] = htole32(1);
		range[2] = htole32(lba & 0xffffffff);
		range[3] = htole32(lba >> 32);
		cmd.opcode = OP_DSM;
		cmd.addr = (uintptr_t)range;
		cmd.data_len = sizeof(range);
		cmd.cdw10 = 0;		/* one range */
		cmd.cdw11 = DSM_AD;
	} else if (!strcmp(op, "set-features")) {
		/* Admin: Volatile Write Cache on; it changes the disk */
		admin = true;
		cmd.opcode = ADM_SET_FEATURES;
		cmd.nsid = 0;
		cmd.cdw10 = FEAT_VWC;
		cmd.cdw11 = 1;
	} else {
		fprintf(stderr, "%s: unknown operation %s\n", argv[0], op);
		return 1;
	}

	if (admin) {
		ret = ioctl(fd, NVME_IOCTL_ADMIN_CMD, &cmd);
	} else if (uring) {
		if (uring_cmd(fd, &cmd, &ret))
			return 1;
		if (ret < 0) {
			errno = -ret;
			ret = -1;
		}
	} else {
		ret = ioctl(fd, NVME_IOCTL_IO_CMD, &cmd);
	}
	if (ret < 0) {
		printf("%s\n", errno_name(errno));
	} else if (ret > 0) {
		printf("status 0x%x\n", ret);
	} else if (cmd.opcode == OP_READ) {
		for (i = 1; i < bs && buf[i] == buf[0]; i++)
			;
		if (i == bs)
			printf("ok fill=%02x\n", buf[0]);
		else
			printf("ok fill=mixed\n");
	} else {
		printf("ok\n");
	}
	close(fd);
	return 0;
}
