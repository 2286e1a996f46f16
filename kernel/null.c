// SPDX-License-Identifier: GPL-2.0
/*
 * The null backend: moves no data and completes every request at once.
 * It measures zcblk's own overhead.
 */
#include "backend.h"
#include "compat.h"
#include "dev.h"

static int zcblk_null_open(struct zcblk_dev *dev, struct zcblk_limits *lim,
			   struct netlink_ext_ack *extack)
{
	return 0;
}

static void zcblk_null_release(struct zcblk_dev *dev)
{
}

/* Format NVM: nothing stored, nothing to erase. */
static void zcblk_null_format(struct zcblk_dev *dev)
{
}

/**
 * zcblk_null_submit() - the null backend's submit()
 * @dev: the disk
 * @io: the operation
 *
 * Not static: submit.c calls it directly (zcblk_backend_submit()).
 *
 * Context: any context.
 * Return: done, always.
 */
enum zcblk_submit zcblk_null_submit(struct zcblk_dev *dev, struct zcblk_io *io)
{
	return ZCBLK_SUBMIT_DONE;	/* io->sts is 0, COPY too */
}

const struct zcblk_backend_ops zcblk_null_backend = {
	.name		= "null",
	.compare	= true,		/* nothing stored: always equal */
	.no_data	= true,
	.open		= zcblk_null_open,
	.release	= zcblk_null_release,
	.submit		= zcblk_null_submit,
	.format		= zcblk_null_format,
};
