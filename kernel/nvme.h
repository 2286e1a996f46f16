/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ZCBLK_NVME_H
#define ZCBLK_NVME_H

#include <linux/blk-mq.h>
#include <linux/fs.h>
#include <linux/types.h>

#include "rq.h"

struct io_uring_cmd;
struct zcblk_dev;

#define ZCBLK_NSID		1
/* Advertised as MDTS 7: 4 KiB << 7 = 512 KiB, the queue's max_hw_sectors */
#define ZCBLK_MAX_TRANSFER	(512 * 1024)
#define ZCBLK_MDTS		7
/* Segments per command; also the iovec count limit for vectored ones. */
#define ZCBLK_MAX_SEGS		128

/* How a command moves data, from zcblk_nvme_prep(). */
struct zcblk_nvme_data {
	bool to_dev;		/* host to device (REQ_OP_DRV_OUT) */
	bool media;		/* the data goes to or from the backend */
	u64 bytes;		/* what it moves, or ZCBLK_ANY_LEN: the buffer's */
};
#define ZCBLK_ANY_LEN	U64_MAX

int zcblk_nvme_prep(struct zcblk_dev *dev, const struct zcblk_nvme_cmd *nc,
		    struct zcblk_nvme_data *data);
int zcblk_nvme_access(const struct zcblk_nvme_cmd *nc, fmode_t mode);
void zcblk_nvme_execute(struct zcblk_dev *dev, struct request *rq);
int zcblk_nvme_ident_init(struct zcblk_dev *dev);
void zcblk_nvme_ident_free(struct zcblk_dev *dev);

#endif /* ZCBLK_NVME_H */
