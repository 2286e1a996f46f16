// SPDX-License-Identifier: GPL-2.0
/*
 * install_prog: a program built as a user of an installed libzcblk builds
 * one, with `pkg-config --cflags --libs zcblk` (selftests/host/install.sh
 * builds it against a DESTDIR install; selftests/install_prog.sh runs it
 * in the VM). Not a harness test: the selftests Makefile leaves it alone.
 *
 *   install_prog          make a mem disk, write 4 KiB through its
 *                         passthrough char device (libzcblk's ioctl
 *                         helpers: NVME_IOCTL_IO_CMD), read them back,
 *                         compare, check that a read past the end is LBA
 *                         Out of Range, delete the disk
 *   install_prog --open   only open and close a libzcblk context (a
 *                         link check for the host, which has no zcblk)
 *
 * Exit: 0 pass, 1 fail, 4 skip (no zcblk family: module not loaded).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zcblk.h>

#define BLOCK		512
#define LEN		4096
#define SLBA		8		/* byte offset 4096 */
#define OP_WRITE	0x01
#define OP_READ		0x02

/* 4 KiB at SLBA through the passthrough ioctl helpers of libzcblk. */
static int io(int fd, unsigned char opcode, void *buf)
{
	if (opcode == OP_WRITE)
		return zcblk_pt_write(fd, SLBA, LEN / BLOCK, buf, LEN);
	return zcblk_pt_read(fd, SLBA, LEN / BLOCK, buf, LEN);
}

/* devtmpfs makes the node a little after the netlink reply. */
static int open_node(const char *path)
{
	int i, fd = -1;

	for (i = 0; i < 100 && fd < 0; i++) {
		fd = open(path, O_RDWR);
		if (fd < 0 && errno != ENOENT)
			break;
		if (fd < 0)
			usleep(50000);
	}
	return fd;
}

static int round_trip(struct zcblk_ctx *ctx)
{
	struct zcblk_dev_params p = { .size = sizeof(p) };
	struct zcblk_dev_info info = { .size = sizeof(info) };
	unsigned char *wbuf = NULL, *rbuf = NULL;
	int fd = -1, rc = 1, ret, i;
	char path[64];

	p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE | ZCBLK_PARAM_BLOCK_SIZE;
	strcpy(p.backend, "mem");
	p.disk_size = 1 << 20;
	p.block_size = BLOCK;
	ret = zcblk_dev_add(ctx, &p, &info);
	if (ret) {
		printf("# zcblk_dev_add: %s: %s\n", strerror(-ret),
		       zcblk_ctx_errmsg(ctx));
		return 1;
	}
	printf("# made %s (%s, %llu bytes)\n", info.disk_name, info.backend,
	       (unsigned long long)info.disk_size);

	if (posix_memalign((void **)&wbuf, 4096, LEN) ||
	    posix_memalign((void **)&rbuf, 4096, LEN)) {
		printf("# out of memory\n");
		goto out;
	}
	snprintf(path, sizeof(path), "/dev/%s", info.char_name);
	fd = open_node(path);
	if (fd < 0) {
		printf("# open %s: %s\n", path, strerror(errno));
		goto out;
	}

	/* Never written: zeros. */
	memset(rbuf, 0xa5, LEN);
	ret = io(fd, OP_READ, rbuf);
	if (ret) {
		printf("# read before write: %d (%s)\n", ret,
		       zcblk_pt_status_str(ret));
		goto out;
	}
	for (i = 0; i < LEN; i++) {
		if (rbuf[i]) {
			printf("# byte %d not zero before any write\n", i);
			goto out;
		}
	}

	/* A pattern of this run. */
	srand(time(NULL) ^ getpid());
	for (i = 0; i < LEN; i++)
		wbuf[i] = rand();
	ret = io(fd, OP_WRITE, wbuf);
	if (ret) {
		printf("# write: %d (%s)\n", ret, zcblk_pt_status_str(ret));
		goto out;
	}
	memset(rbuf, 0, LEN);
	ret = io(fd, OP_READ, rbuf);
	if (ret) {
		printf("# read: %d (%s)\n", ret, zcblk_pt_status_str(ret));
		goto out;
	}
	if (memcmp(wbuf, rbuf, LEN)) {
		printf("# data read back differs from data written\n");
		goto out;
	}
	printf("# 4 KiB written and read back through %s\n", path);
	/* The last block and one past it: the disk's end, as NVMe says it. */
	ret = zcblk_pt_read(fd, info.disk_size / BLOCK - 1, 2, rbuf, 2 * BLOCK);
	if (ret != 0x4080 ||
	    strcmp(zcblk_pt_status_str(ret), "LBA Out of Range")) {
		printf("# read past the end: %#x (%s), want 0x4080\n", ret,
		       zcblk_pt_status_str(ret));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(wbuf);
	free(rbuf);
	ret = zcblk_dev_del(ctx, info.index);
	if (ret) {
		printf("# zcblk_dev_del %u: %s: %s\n", info.index,
		       strerror(-ret), zcblk_ctx_errmsg(ctx));
		rc = 1;
	} else if (zcblk_dev_get(ctx, info.index, &info) != -ENODEV) {
		printf("# %s still there after zcblk_dev_del\n", path);
		rc = 1;
	}
	return rc;
}

int main(int argc, char *argv[])
{
	struct zcblk_ctx *ctx;
	int ret, rc;

	ret = zcblk_ctx_open(&ctx);
	if (ret == -ENOENT) {
		printf("# SKIP zcblk module not loaded\n");
		return 4;
	}
	if (ret) {
		printf("# zcblk_ctx_open: %s\n", strerror(-ret));
		return 1;
	}
	if (argc > 1 && !strcmp(argv[1], "--open")) {
		zcblk_ctx_close(ctx);
		printf("# libzcblk context opened and closed\n");
		return 0;
	}
	rc = round_trip(ctx);
	zcblk_ctx_close(ctx);
	return rc;
}
