// SPDX-License-Identifier: GPL-2.0
/*
 * Zero-copy mapping of passthrough buffers: user pages pinned with
 * FOLL_PIN (or io_uring's registered bvecs) become the bvecs of a bio of
 * our own, attached to the request. No bounce buffer, ever; no
 * blk_rq_map_user*(), which takes FOLL_GET references on 6.1 and bounces
 * misaligned buffers.
 */
#include <linux/blkdev.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "dev.h"
#include "pin.h"

struct zcblk_pins zcblk_pins_total;

static void zcblk_count(atomic64_t *dev_ctr, atomic64_t *total_ctr, long n)
{
	atomic64_add(n, dev_ctr);
	atomic64_add(n, total_ctr);
}

/* Arrays for @nr entries: the inline ones when they fit. */
static int zcblk_map_arrays(struct zcblk_map *map, unsigned int nr)
{
	map->bvecs = map->inline_bvecs;
	map->pages = map->inline_pages;
	map->nr_bvecs = nr;
	if (nr <= ZCBLK_INLINE_PAGES)
		return 0;
	map->bvecs = kvmalloc_array(nr, sizeof(*map->bvecs), GFP_KERNEL);
	if (!map->bvecs)
		goto err_inline;
	map->pages = kvmalloc_array(nr, sizeof(*map->pages), GFP_KERNEL);
	if (map->pages)
		return 0;
	kvfree(map->bvecs);
err_inline:
	map->bvecs = map->inline_bvecs;
	map->pages = map->inline_pages;
	return -ENOMEM;
}

static void zcblk_map_free_arrays(struct zcblk_map *map)
{
	if (map->bvecs != map->inline_bvecs)
		kvfree(map->bvecs);
	if (map->pages != map->inline_pages)
		kvfree(map->pages);
}

/*
 * No block device, as the NVMe driver's passthrough bios: with one,
 * bio_init() would tie the bio to a blk-cgroup (a lookup and a reference
 * per command), which passthrough requests, never throttled, do not use.
 * A polled bio names its disk, for bio_poll() on 6.1.
 */
static void zcblk_map_bio_init(struct zcblk_dev *dev, struct request *rq,
			       struct bio *bio, struct bio_vec *table,
			       unsigned short max_vecs)
{
	bio_init(bio, NULL, table, max_vecs, rq->cmd_flags);
	if (rq->cmd_flags & REQ_POLLED)
		bio->bi_bdev = dev->disk->part0;
}

static int zcblk_map_attach(struct zcblk_dev *dev, struct request *rq,
			    struct zcblk_map *map)
{
	int ret = blk_rq_append_bio(rq, &map->bio);

	if (!ret)
		map->mapped = true;
	return ret;
}

/*
 * Pins the user segments (whose lengths the caller has checked against the
 * command's limits) and attaches them to @rq. Pages the device will write
 * are pinned with FOLL_WRITE.
 */
int zcblk_map_user(struct zcblk_dev *dev, struct request *rq,
		   struct zcblk_map *map, const struct iovec *segs,
		   unsigned int nr_segs, unsigned int align)
{
	bool dev_writes = req_op(rq) == REQ_OP_DRV_IN;
	unsigned int nr_pages = 0, done = 0, i;
	int ret;

	for (i = 0; i < nr_segs; i++) {
		unsigned long base = (unsigned long)segs[i].iov_base;

		/* Direct I/O to a backing file needs aligned segments. */
		if (align && ((base | segs[i].iov_len) & (align - 1)))
			return -EINVAL;
		if (segs[i].iov_len)
			nr_pages += DIV_ROUND_UP(offset_in_page(base) +
						 segs[i].iov_len, PAGE_SIZE);
	}
	ret = zcblk_map_arrays(map, nr_pages);
	if (ret)
		return ret;

	for (i = 0; i < nr_segs; i++) {
		unsigned long base = (unsigned long)segs[i].iov_base;
		int n;

		if (!segs[i].iov_len)
			continue;
		n = DIV_ROUND_UP(offset_in_page(base) + segs[i].iov_len,
				 PAGE_SIZE);
		ret = pin_user_pages_fast(base & PAGE_MASK, n,
					  dev_writes ? FOLL_WRITE : 0,
					  map->pages + done);
		if (ret > 0)
			done += ret;
		if (ret != n) {
			/* 6.12 says -EOVERFLOW for a range that wraps */
			ret = ret < 0 && ret != -EOVERFLOW ? ret : -EFAULT;
			goto err_unpin;
		}
	}
	zcblk_count(&dev->pins.pinned, &zcblk_pins_total.pinned, done);
	map->nr_pinned = done;
	map->dirty = dev_writes;

	zcblk_map_bio_init(dev, rq, &map->bio, map->bvecs, nr_pages);
	for (i = 0, done = 0; i < nr_segs; i++) {
		unsigned long base = (unsigned long)segs[i].iov_base;
		unsigned int off = offset_in_page(base);
		size_t left = segs[i].iov_len;

		while (left) {
			unsigned int len = min_t(size_t, left, PAGE_SIZE - off);

			if (bio_add_page(&map->bio, map->pages[done++], len,
					 off) != len) {
				ret = -EINVAL;
				goto err_uninit;
			}
			left -= len;
			off = 0;
		}
	}
	ret = zcblk_map_attach(dev, rq, map);
	if (ret)
		goto err_uninit;
	return 0;

err_uninit:
	bio_uninit(&map->bio);
	done = map->nr_pinned;
	zcblk_count(&dev->pins.unpinned, &zcblk_pins_total.unpinned,
		    done);
	map->nr_pinned = 0;
err_unpin:
	unpin_user_pages(map->pages, done);
	zcblk_map_free_arrays(map);
	return ret;
}

/*
 * Attaches an ITER_BVEC over a registered buffer. io_uring pinned those
 * pages at registration and keeps them until the CQE is posted: we take
 * no pin and drop none.
 */
int zcblk_map_bvec(struct zcblk_dev *dev, struct request *rq,
		   struct zcblk_map *map, struct iov_iter *iter,
		   unsigned int align)
{
	const struct bio_vec *first = iter->bvec, *bv;
	size_t skip = iter->iov_offset, left = iov_iter_count(iter);
	struct bio *bio = &map->bio;
	int ret;

	while (left && skip >= first->bv_len) {
		skip -= first->bv_len;
		first++;
	}
	for (bv = first; align && left; bv++) {
		size_t len = min_t(size_t, bv->bv_len - (bv == first ? skip : 0),
				   left);

		if (((bv->bv_offset + (bv == first ? skip : 0)) | len) &
		    (align - 1))
			return -EINVAL;
		left -= len;
	}
	/*
	 * The bio uses io_uring's bvecs themselves, as bio_iov_bvec_set()
	 * does for the block path: nothing copied per page, no array to
	 * allocate. io_uring keeps them until the CQE is posted.
	 */
	zcblk_map_bio_init(dev, rq, bio, NULL, 0);
	bio->bi_io_vec = (struct bio_vec *)first;
	bio->bi_vcnt = iter->nr_segs - (first - iter->bvec);
	bio->bi_iter.bi_bvec_done = skip;
	bio->bi_iter.bi_size = iov_iter_count(iter);
	bio_set_flag(bio, BIO_CLONED);
	map->bvecs = map->inline_bvecs;
	map->pages = map->inline_pages;
	ret = zcblk_map_attach(dev, rq, map);
	if (ret) {
		bio_uninit(bio);
		return ret;
	}
	map->nr_pinned = 0;
	zcblk_count(&dev->pins.fixed_bytes, &zcblk_pins_total.fixed_bytes,
		    iov_iter_count(iter));
	return 0;
}

/* In task context: dirtying may sleep. */
void zcblk_unmap(struct zcblk_dev *dev, struct zcblk_map *map)
{
	if (!map->mapped)
		return;
	if (map->nr_pinned) {
		unpin_user_pages_dirty_lock(map->pages, map->nr_pinned,
					    map->dirty);
		zcblk_count(&dev->pins.unpinned, &zcblk_pins_total.unpinned,
			    map->nr_pinned);
		map->nr_pinned = 0;
	}
	bio_uninit(&map->bio);
	zcblk_map_free_arrays(map);
	map->mapped = false;
}
