/* SPDX-License-Identifier: GPL-2.0 */
/*
 * End-to-end protection information (types 1-3, 16- or 64-bit guard) in the
 * metadata of a disk's blocks, checked and generated on the char device's
 * Read and Write. Documentation/integrity.rst.
 */
#ifndef ZCBLK_PI_H
#define ZCBLK_PI_H

#include <linux/bvec.h>
#include <linux/types.h>

#include "backend.h"
#include "compat.h"
#include "dev.h"
#include "pin.h"

struct request;
struct zcblk_dev;
struct zcblk_io;
struct zcblk_nvme_cmd;
struct zcblk_pdu;

/* PRINFO, CDW12 bits 29:26 of Read, Write, Compare and Verify */
#define ZCBLK_PRACT		BIT(29)
#define ZCBLK_PRCHK_GUARD	BIT(28)
#define ZCBLK_PRCHK_APP		BIT(27)
#define ZCBLK_PRCHK_REF		BIT(26)
#define ZCBLK_PRCHK		GENMASK(28, 26)
#define ZCBLK_PRINFO		GENMASK(29, 26)

/*
 * A command's metadata as the controller holds it while it checks or
 * inserts protection information: a kernel copy, the backend's side of it.
 */
struct zcblk_pi_buf {
	void *md;
	struct bio_vec bv[ZCBLK_MD_PAGES + 1];
};

static inline u32 zcblk_pi_type(const struct zcblk_dev *dev)
{
	return dev->cfg.pi_type;
}

/*
 * The two PI formats of the NVM Command Set this disk may have: 16-bit
 * guard (8 bytes: guard, application tag, 32-bit reference tag) or 64-bit
 * guard (16 bytes: guard, application tag, 48-bit reference tag; no
 * storage tag), as the LBA format's PIF says.
 */
static inline bool zcblk_pi_guard64(const struct zcblk_config *cfg)
{
	return cfg->flags & ZCBLK_DEV_F_PI_GUARD64;
}

/* Bytes of a block's PI tuple, and of its guard. */
static inline u32 zcblk_pi_size(const struct zcblk_config *cfg)
{
	return zcblk_pi_guard64(cfg) ? 16 : 8;
}

static inline u32 zcblk_pi_guard_size(const struct zcblk_config *cfg)
{
	return zcblk_pi_guard64(cfg) ? 8 : 2;
}

/* Where the PI tuple is in a block's metadata: first or last. */
static inline u32 zcblk_pi_offset(const struct zcblk_config *cfg)
{
	return cfg->flags & ZCBLK_DEV_F_PI_FIRST ? 0 :
		cfg->metadata_size - zcblk_pi_size(cfg);
}

/*
 * The guard's CRC over @len more bytes: T10-DIF's, or NVMe's CRC64. None
 * for none (no metadata before the PI): the call alone goes through the
 * crypto API.
 */
static inline u64 zcblk_pi_crc(const struct zcblk_config *cfg, u64 crc,
			       const u8 *p, size_t len)
{
	if (!len)
		return crc;
	if (zcblk_pi_guard64(cfg))
		return zcblk_crc64_nvme(crc, p, len);
	return zcblk_crc_t10dif(crc, p, len);
}

/* The reference tag's bits: 32, or 48 with the 64-bit guard. */
static inline u64 zcblk_pi_ref_mask(const struct zcblk_config *cfg)
{
	return zcblk_pi_guard64(cfg) ? GENMASK_ULL(47, 0) : U32_MAX;
}

/*
 * PRACT with metadata that is protection information alone: the host
 * moves none of it, the controller inserts (write) or strips (read) it.
 */
static inline bool zcblk_pi_strips(const struct zcblk_dev *dev, u32 cdw12)
{
	return dev->cfg.pi_type && (cdw12 & ZCBLK_PRACT) &&
	       dev->cfg.metadata_size == zcblk_pi_size(&dev->cfg);
}

/*
 * What stored blocks' protection information is checked against, from the
 * first block on: PRCHK as in a Read's CDW12, the first block's reference
 * tag (counting up, but for type 3), LBAT and LBATM as in CDW15.
 */
struct zcblk_pi_expect {
	u32 prinfo;
	u32 tags;
	u64 ref;
};

int zcblk_pi_scan(struct zcblk_dev *dev, u64 slba, u32 nlb,
		  const struct zcblk_pi_expect *want, unsigned int n);
int zcblk_pi_generate(struct zcblk_dev *dev, u64 slba, u32 nlb, u64 ref,
		      u16 app);
int zcblk_pi_prepare(struct zcblk_dev *dev, struct request *rq,
		     struct zcblk_io *io, u64 slba, u32 nlb,
		     struct zcblk_pi_buf *pb);
int zcblk_pi_verify(struct zcblk_dev *dev, const struct zcblk_nvme_cmd *nc,
		    u64 slba, u32 nlb);
int zcblk_pi_zeroes(struct zcblk_dev *dev, const struct zcblk_nvme_cmd *nc,
		    u64 slba, u32 nlb);
enum zcblk_submit zcblk_pi_disk_rw(struct zcblk_dev *dev, struct request *rq,
				   struct zcblk_io *io);
int zcblk_pi_finish(struct zcblk_dev *dev, struct request *rq,
		    struct zcblk_io *io, u32 nlb, struct zcblk_pi_buf *pb,
		    int status);

#endif /* ZCBLK_PI_H */
