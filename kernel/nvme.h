/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ZCBLK_NVME_H
#define ZCBLK_NVME_H

#include <linux/blk-mq.h>
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/nvme.h>
#include <linux/types.h>

#include "dev.h"
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
	u32 md_bytes;		/* separate metadata it moves (meta.h) */
};
#define ZCBLK_ANY_LEN	U64_MAX

#define ZCBLK_NSID_ALL		0xffffffff
/* Copy's opcode; the kernels' nvme.h do not name it */
#define ZCBLK_CMD_COPY		0x19
#define ZCBLK_IDENT_LEN		4096

/*
 * Execution's outcome: an NVMe status (DNR set where retrying cannot
 * help), or one of the two non-statuses below.
 */
#define ZCBLK_DNR		0x4000
#define ZCBLK_STATUS(sc)		(ZCBLK_DNR | (sc))
#define ZCBLK_STATUS_OPCODE		ZCBLK_STATUS(NVME_SC_INVALID_OPCODE)
#define ZCBLK_STATUS_FIELD		ZCBLK_STATUS(NVME_SC_INVALID_FIELD)

/* Get Features' SEL (CDW10 10:8), and the capabilities SEL 3 returns */
#define ZCBLK_SEL_CURRENT		0
#define ZCBLK_SEL_CAPS			3
#define ZCBLK_FEAT_NS_SPECIFIC		BIT(1)
#define ZCBLK_FEAT_CHANGEABLE		BIT(2)
#define ZCBLK_STATUS_NS			ZCBLK_STATUS(NVME_SC_INVALID_NS)
#define ZCBLK_STATUS_LBA_RANGE		ZCBLK_STATUS(NVME_SC_LBA_RANGE)
/* retryable: no DNR */
#define ZCBLK_STATUS_FORMATTING		NVME_SC_FORMAT_IN_PROGRESS
#define ZCBLK_STATUS_COMPARE		ZCBLK_STATUS(NVME_SC_COMPARE_FAILED)
#define ZCBLK_STATUS_WRITE_PROT		ZCBLK_STATUS(NVME_SC_NS_WRITE_PROTECTED)
#define ZCBLK_STATUS_INTERNAL		NVME_SC_INTERNAL	/* retryable: no DNR */
/*
 * Not statuses: the backend completes the command later, or it runs
 * again from the disk's workqueue.
 */
#define ZCBLK_STATUS_QUEUED		(-EIOCBQUEUED)
#define ZCBLK_STATUS_DEFER		(-EAGAIN)	/* ZCBLK_SUBMIT_DEFER */

#define ZCBLK_STATUS_ZONE(sc)		ZCBLK_STATUS(NVME_SC_ZONE_##sc)

/* The disk's LBA size as a shift, and its namespace size in LBAs. */
static inline u32 zcblk_lba_shift(struct zcblk_dev *dev)
{
	return ilog2(dev->cfg.block_size);
}

static inline u64 zcblk_nsze(struct zcblk_dev *dev)
{
	return dev->cfg.size >> zcblk_lba_shift(dev);
}

/* Overflow-safe: is [slba, slba + nlb) inside the namespace? */
static inline bool zcblk_lba_ok(struct zcblk_dev *dev, u64 slba, u64 nlb)
{
	u64 nsze = zcblk_nsze(dev);

	return slba < nsze && nlb <= nsze - slba;
}

struct zcblk_io;

int zcblk_nvme_submit(struct zcblk_dev *dev, struct zcblk_io *io);
int zcblk_nvme_prep(struct zcblk_dev *dev, const struct zcblk_nvme_cmd *nc,
		    struct zcblk_nvme_data *data);
int zcblk_nvme_access(const struct zcblk_nvme_cmd *nc, fmode_t mode);
void zcblk_nvme_execute(struct zcblk_dev *dev, struct request *rq);
void zcblk_rq_fill(struct request *rq, const void *buf, size_t len);
void zcblk_rq_copy_from(struct request *rq, u64 off, void *buf, size_t len);
void zcblk_rq_copy_to(struct request *rq, u64 off, const void *buf,
		      size_t len);

/* nvme_admin.c */
int zcblk_nvme_admin(struct zcblk_dev *dev, struct request *rq,
		     struct zcblk_pdu *cmd);
int zcblk_nvme_ident_init(struct zcblk_dev *dev);
void zcblk_nvme_ident_refill(struct zcblk_dev *dev);
void zcblk_nvme_ident_free(struct zcblk_dev *dev);

#endif /* ZCBLK_NVME_H */
