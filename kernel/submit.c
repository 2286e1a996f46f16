// SPDX-License-Identifier: GPL-2.0
/*
 * A disk's requests, from queue_rq to the backend: the block layer's and
 * the passthrough ones (through nvme.c's decoding) alike, the short way of
 * plain reads and writes, requests run again from the disk's workqueue;
 * and the blk-mq operations that disk.c's tag sets use.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/indirect_call_wrapper.h>
#include <linux/sched/mm.h>

#include "backend.h"
#include "compat.h"
#include "dev.h"
#include "fdp.h"
#include "media.h"
#include "meta.h"
#include "nvme.h"
#include "pi.h"
#include "rq.h"
#include "zns.h"

/* A zone management request: the same zone state as the char device's. */
static enum zcblk_submit zcblk_disk_zone_mgmt(struct zcblk_dev *dev,
					      struct request *rq,
					      struct zcblk_io *io, u64 lba)
{
	enum zcblk_zone_action action;
	int status;

	switch (req_op(rq)) {
	case REQ_OP_ZONE_OPEN:
		action = ZCBLK_ZONE_OPEN;
		break;
	case REQ_OP_ZONE_CLOSE:
		action = ZCBLK_ZONE_CLOSE;
		break;
	case REQ_OP_ZONE_FINISH:
		action = ZCBLK_ZONE_FINISH;
		break;
	default:
		action = ZCBLK_ZONE_RESET;
		break;
	}
	status = zcblk_zns_mgmt(dev, action, lba,
				req_op(rq) == REQ_OP_ZONE_RESET_ALL, io->nowait);
	if (status == ZCBLK_STATUS_DEFER)
		return ZCBLK_SUBMIT_DEFER;
	io->sts = zcblk_nvme_to_blk_status(status);
	return ZCBLK_SUBMIT_DONE;
}

/*
 * A block request to a zoned disk: writes where its zone's state allows,
 * a zone append where the write pointer is (the request's sector tells the
 * submitter), zone management.
 */
static enum zcblk_submit zcblk_disk_zoned(struct zcblk_dev *dev,
					  struct request *rq,
					  struct zcblk_io *io)
{
	u32 shift = zcblk_lba_shift(dev);
	u64 lba = io->pos >> shift;
	int status;

	/* Power cut (wcache.c): before any zone moves, as zns.c's checks. */
	if (zcblk_power_off(dev)) {
		io->sts = BLK_STS_OFFLINE;
		return ZCBLK_SUBMIT_DONE;
	}
	switch (req_op(rq)) {
	case REQ_OP_READ:
		status = zcblk_zns_read(dev, lba, io->len >> shift);
		break;
	case REQ_OP_WRITE:
	case REQ_OP_WRITE_ZEROES:
	case REQ_OP_ZONE_APPEND:
		status = zcblk_zns_write(dev, blk_mq_rq_to_pdu(rq), &lba,
					 io->len >> shift,
					 req_op(rq) == REQ_OP_ZONE_APPEND);
		io->pos = lba << shift;
		if (!status && req_op(rq) == REQ_OP_ZONE_APPEND)
			rq->__sector = io->pos >> SECTOR_SHIFT;
		break;
	default:
		return zcblk_disk_zone_mgmt(dev, rq, io, lba);
	}
	if (status) {
		io->sts = zcblk_nvme_to_blk_status(status);
		return ZCBLK_SUBMIT_DONE;
	}
	return zcblk_disk_submit(dev, io);
}

/* A block request, as a backend operation in @io. */
static enum zcblk_submit zcblk_disk_rw(struct zcblk_dev *dev,
				       struct request *rq, struct zcblk_io *io)
{
	enum zcblk_submit ret;
	bool placed;

	*io = (struct zcblk_io){
		.pos	= (u64)blk_rq_pos(rq) << SECTOR_SHIFT,
		.len	= blk_rq_bytes(rq),
		.rq	= rq,
		.fua	= rq->cmd_flags & REQ_FUA,
		.nowait	= zcblk_rq_nowait(rq),
	};

	switch (req_op(rq)) {
	case REQ_OP_READ:
		io->op = ZCBLK_IO_READ;
		break;
	case REQ_OP_WRITE:
		io->op = ZCBLK_IO_WRITE;
		break;
	case REQ_OP_FLUSH:
		io->op = ZCBLK_IO_FLUSH;
		break;
	case REQ_OP_DISCARD:
		io->op = ZCBLK_IO_DISCARD;
		break;
	case REQ_OP_WRITE_ZEROES:
		io->op = ZCBLK_IO_WRITE_ZEROES;
		io->unmap = !(rq->cmd_flags & REQ_NOUNMAP);
		break;
	case REQ_OP_ZONE_APPEND:
		io->op = ZCBLK_IO_WRITE;
		break;
	case REQ_OP_ZONE_OPEN:
	case REQ_OP_ZONE_CLOSE:
	case REQ_OP_ZONE_FINISH:
	case REQ_OP_ZONE_RESET:
	case REQ_OP_ZONE_RESET_ALL:
		break;
	default:
		io->sts = BLK_STS_NOTSUPP;
		return ZCBLK_SUBMIT_DONE;
	}
	/* set_disk_ro() stops write(2); whatever still comes fails here. */
	if ((dev->cfg.flags & ZCBLK_DEV_F_READ_ONLY) && op_is_write(req_op(rq)) &&
	    io->op != ZCBLK_IO_FLUSH) {
		io->sts = BLK_STS_IOERR;
		return ZCBLK_SUBMIT_DONE;
	}
	if (zcblk_zoned(dev) && io->op != ZCBLK_IO_FLUSH)
		return zcblk_disk_zoned(dev, rq, io);
	/*
	 * FDP: the default placement handle; counted once, when it ran, or
	 * on the first pass for a backend that completes requests itself
	 * (nvme.c's zcblk_fdp_submit() says why).
	 */
	placed = zcblk_fdp(dev) && (io->op == ZCBLK_IO_WRITE ||
				    io->op == ZCBLK_IO_WRITE_ZEROES);
	if (placed && dev->ops->deferred) {
		struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);

		if (!pdu->deferred)
			zcblk_fdp_write(dev, 0, 0,
					io->len >> zcblk_lba_shift(dev));
		placed = false;
	}
	if (zcblk_pi_type(dev) &&
	    (io->op == ZCBLK_IO_READ || io->op == ZCBLK_IO_WRITE))
		ret = zcblk_pi_disk_rw(dev, rq, io);
	else
		ret = zcblk_disk_submit(dev, io);
	if (placed && ret != ZCBLK_SUBMIT_DEFER &&
	    !(ret == ZCBLK_SUBMIT_DONE && io->sts))
		zcblk_fdp_write(dev, 0, 0, io->len >> zcblk_lba_shift(dev));
	return ret;
}

/*
 * The backends that run in queue_rq called directly: a retpoline an I/O
 * costs as much as a counter.
 */
static __always_inline enum zcblk_submit
zcblk_backend_submit(struct zcblk_dev *dev, struct zcblk_io *io)
{
	return INDIRECT_CALL_2(dev->ops->submit, zcblk_mem_submit,
			       zcblk_null_submit, dev, io);
}

/* What @io does, in the counters: @sign 1 counts it, -1 takes it back. */
static __always_inline void zcblk_disk_count(struct zcblk_dev *dev,
					     const struct zcblk_io *io,
					     int sign)
{
	u64 one = sign, len = sign * io->len;

	switch (io->op) {
	case ZCBLK_IO_READ:
	case ZCBLK_IO_COMPARE:
		zcblk_stat_add(dev, read_cmds, one);
		zcblk_stat_add(dev, read_bytes, len);
		break;
	case ZCBLK_IO_WRITE:
		zcblk_stat_add(dev, write_cmds, one);
		zcblk_stat_add(dev, write_bytes, len);
		if (io->fua)
			zcblk_stat_add(dev, fua_writes, one);
		break;
	case ZCBLK_IO_WRITE_ZEROES:
		if (io->fua)
			zcblk_stat_add(dev, fua_writes, one);
		break;
	case ZCBLK_IO_FLUSH:
		zcblk_stat_add(dev, flushes, one);
		break;
	case ZCBLK_IO_COPY:	/* bytes both ways; the command is not I/O */
		zcblk_stat_add(dev, read_bytes, len);
		zcblk_stat_add(dev, write_bytes, len);
		break;
	default:
		break;
	}
}

/**
 * zcblk_disk_submit() - hand an operation to the disk's backend
 * @dev: the disk
 * @io: the operation
 *
 * Every backend operation goes through here, for the counters: counted once,
 * when it ran (a deferred one when it runs again), and before it can
 * complete.
 *
 * Context: the backend may sleep only if @io->nowait is false, on the disk's
 * workqueue.
 * Return: the backend's outcome.
 */
enum zcblk_submit zcblk_disk_submit(struct zcblk_dev *dev,
				    struct zcblk_io *io)
{
	enum zcblk_submit ret;
	bool early;

	/* Power cut (wcache.c): nothing reaches the media. */
	if (zcblk_power_off(dev)) {
		io->sts = BLK_STS_OFFLINE;
		return ZCBLK_SUBMIT_DONE;
	}
	/*
	 * The write pointers and the bad block list of what the flush makes
	 * durable, with it.
	 */
	if (io->op == ZCBLK_IO_FLUSH && !io->nowait &&
	    ((zcblk_zoned(dev) && zcblk_zns_save(dev)) ||
	     zcblk_media_save(dev))) {
		io->sts = BLK_STS_IOERR;
		return ZCBLK_SUBMIT_DONE;
	}
	/*
	 * A FUA write completes durable, and so does its zone's write
	 * pointer, already past it: the table is saved before the data goes
	 * (after a crash the pointer may be past a write that never ended,
	 * as a flush's may be; never short of one that did).
	 */
	if (unlikely(io->fua) &&
	    (io->op == ZCBLK_IO_WRITE || io->op == ZCBLK_IO_WRITE_ZEROES) &&
	    zcblk_zns_fua_saves(dev, io->pos)) {
		if (io->nowait)
			return ZCBLK_SUBMIT_DEFER;
		if (zcblk_zns_save(dev)) {
			io->sts = BLK_STS_IOERR;
			return ZCBLK_SUBMIT_DONE;
		}
	}
	/* A call per I/O costs; most disks never list a bad block. */
	if (unlikely(READ_ONCE(dev->bad.count)) && zcblk_media_io(dev, io))
		return ZCBLK_SUBMIT_DONE;
	/* Readable, and the backend's stored data always is (nvme.c). */
	if (io->op == ZCBLK_IO_VERIFY) {
		io->sts = BLK_STS_OK;
		return ZCBLK_SUBMIT_DONE;
	}
	/*
	 * A backend that completes a request itself (file) may do so before
	 * submit returns, and a host reading the counters after a completion
	 * must find it there: count first, take back what did not run.
	 */
	early = dev->ops->deferred;
	if (early)
		zcblk_disk_count(dev, io, 1);
	/* Only a disk with a write cache logs its writes. */
	if (likely(!dev->wc.size) || io->op == ZCBLK_IO_READ ||
	    io->op == ZCBLK_IO_COMPARE)
		ret = zcblk_backend_submit(dev, io);
	else
		ret = zcblk_wc_submit(dev, io);

	/* Deferred: counted when it runs. */
	if (ret == ZCBLK_SUBMIT_DEFER || (ret == ZCBLK_SUBMIT_DONE && io->sts)) {
		if (early)
			zcblk_disk_count(dev, io, -1);
		return ret;
	}
	/* Rewritten blocks are readable again, once the write has run. */
	if (unlikely(READ_ONCE(dev->bad.count)))
		zcblk_media_written(dev, io);
	if (!early)
		zcblk_disk_count(dev, io, 1);
	return ret;
}

/*
 * What most block requests are: a read or write, nothing injected, of a
 * disk without zones, placement, PI or a write cache, nothing listed bad,
 * the power on, a backend that runs in queue_rq, no added latency and
 * inline completion. zcblk_disk_fast() gives such a request the general
 * path's outcome with only the checks that apply to it: the block path at
 * null_blk's cost (Documentation/performance.rst). block_paths.sh checks
 * that both paths agree.
 */
static __always_inline bool zcblk_disk_fast_ok(struct zcblk_dev *dev,
					       struct request *rq)
{
	enum req_op op = req_op(rq);

	return (op == REQ_OP_READ || op == REQ_OP_WRITE) &&
	       !(READ_ONCE(dev->set.fail_every) | READ_ONCE(dev->set.fail_ppm)) &&
	       !dev->ops->deferred &&
	       !(dev->cfg.flags & ZCBLK_DEV_F_READ_ONLY) && !zcblk_zoned(dev) &&
	       !zcblk_fdp(dev) && !zcblk_pi_type(dev) && !dev->wc.size &&
	       likely(!READ_ONCE(dev->bad.count)) && !zcblk_power_off(dev) &&
	       !READ_ONCE(dev->set.latency_ns) &&
	       READ_ONCE(dev->set.completion) == ZCBLK_COMPLETION_INLINE;
}

/* Such a request, from queue_rq: zcblk_disk_rw() and _submit() in short. */
static __always_inline void zcblk_disk_fast(struct zcblk_dev *dev,
					    struct request *rq)
{
	struct zcblk_io io = {
		.op	= req_op(rq) == REQ_OP_READ ? ZCBLK_IO_READ :
						      ZCBLK_IO_WRITE,
		.pos	= (u64)blk_rq_pos(rq) << SECTOR_SHIFT,
		.len	= blk_rq_bytes(rq),
		.rq	= rq,
		.fua	= rq->cmd_flags & REQ_FUA,
		.nowait	= true,		/* queue_rq, not deferred */
		/* The rest too: a store each, cheaper than a zeroing loop */
		.unmap = false, .miscompare = false, .src = 0, .md_bvecs = NULL,
		.md_nr = 0, .md_ext = false, .sts = BLK_STS_OK,
	};
	enum zcblk_submit ret = zcblk_backend_submit(dev, &io);

	if (ret == ZCBLK_SUBMIT_DEFER) {
		zcblk_disk_defer(dev, rq);
		return;
	}
	if (ret == ZCBLK_SUBMIT_DONE && io.sts) {
		zcblk_io_done(dev, rq, io.sts);
		return;
	}
	zcblk_disk_count(dev, &io, 1);
	if (ret == ZCBLK_SUBMIT_DONE)
		zcblk_rq_end_inline(rq);
}

/* Any other block request. */
static void zcblk_disk_block(struct zcblk_dev *dev, struct request *rq)
{
	struct zcblk_io io;

	switch (zcblk_disk_rw(dev, rq, &io)) {
	case ZCBLK_SUBMIT_DONE:
		zcblk_io_done(dev, rq, io.sts);
		break;
	case ZCBLK_SUBMIT_QUEUED:
		break;
	case ZCBLK_SUBMIT_DEFER:
		zcblk_disk_defer(dev, rq);
		break;
	}
}

/**
 * zcblk_disk_execute() - run a request
 * @dev: the disk
 * @rq: the request
 *
 * An injected error replaces the command; otherwise the backend runs it and
 * zcblk_io_done() follows, now or when the backend calls it.
 *
 * Context: queue_rq, the unstall work or the disk's workqueue; whether the
 * backend may sleep is zcblk_rq_nowait()'s to say.
 */
void zcblk_disk_execute(struct zcblk_dev *dev, struct request *rq)
{
	struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);
	u16 injected = 0;

	/* A deferred request was not chosen to fail: do not count it twice. */
	if (unlikely(READ_ONCE(dev->set.fail_every) |
		     READ_ONCE(dev->set.fail_ppm)) && !pdu->deferred)
		injected = zcblk_inject(dev, rq);

	if (blk_rq_is_passthrough(rq)) {
		if (injected) {
			pdu->status = injected;
			zcblk_io_complete(dev, rq, BLK_STS_OK);
			return;
		}
		zcblk_nvme_execute(dev, rq);
		return;
	}
	if (injected) {
		zcblk_io_complete(dev, rq, zcblk_nvme_to_blk_status(injected));
		return;
	}
	zcblk_disk_block(dev, rq);
}

/**
 * zcblk_disk_defer() - run a request again from the disk's workqueue
 * @dev: the disk
 * @rq: the request
 *
 * There the backend may sleep.
 *
 * Context: any context.
 */
void zcblk_disk_defer(struct zcblk_dev *dev, struct request *rq)
{
	struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);

	pdu->deferred = true;
	pdu->inline_try = false;
	zcblk_stat_inc(dev, deferred);
	queue_work(dev->wq, &pdu->work);
}

/*
 * A file disk's plain read or write is tried in queue_rq, as io_uring
 * tries a read before punting it to a worker: IOCB_NOWAIT, and what would
 * block runs again from the disk's workqueue (file.c). That spares each
 * I/O a worker's wakeup and two context switches (performance.rst). Not
 * from a task inside a file system's transaction or a reclaim scope:
 * calling into the backing file system from there is what loop's workers
 * avoid, and so does the workqueue. Only plain I/O: metadata, PI, zones,
 * placement and the write cache's log may sleep.
 */
static bool zcblk_disk_inline_ok(struct zcblk_dev *dev, struct request *rq)
{
	struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);

	if (!dev->inline_rw || current->journal_info ||
	    (current->flags & (PF_MEMALLOC | PF_MEMALLOC_NOFS |
			       PF_MEMALLOC_NOIO)))
		return false;
	if (READ_ONCE(dev->wc.size) || zcblk_zoned(dev) || zcblk_fdp(dev) ||
	    zcblk_pi_type(dev) || zcblk_md_size(dev))
		return false;
	if (blk_rq_is_passthrough(rq))
		return !pdu->nc.admin && (pdu->nc.opcode == nvme_cmd_read ||
					  pdu->nc.opcode == nvme_cmd_write);
	return req_op(rq) == REQ_OP_READ || req_op(rq) == REQ_OP_WRITE;
}

/* Every request is taken: there is no status that sends one back. */
static __always_inline void zcblk_queue_one(struct zcblk_dev *dev,
					    struct request *rq)
{
	struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);

	pdu->sts = BLK_STS_OK;
	pdu->in_backend = false;
	pdu->deferred = false;
	pdu->inline_try = false;
	pdu->zone_placed = false;
	if (!blk_rq_is_passthrough(rq))
		pdu->status = 0;
	blk_mq_start_request(rq);
	/* Calls cost every request; a stall is rare. */
	if (unlikely(READ_ONCE(dev->set.stall)) && zcblk_stall(dev, rq))
		return;
	if (dev->ops->deferred) {
		if (!zcblk_disk_inline_ok(dev, rq)) {
			queue_work(dev->wq, &pdu->work);
			return;
		}
		pdu->inline_try = true;
		zcblk_disk_execute(dev, rq);
	} else if (zcblk_disk_fast_ok(dev, rq)) {
		zcblk_disk_fast(dev, rq);
	} else {
		zcblk_disk_execute(dev, rq);
	}
}

static blk_status_t zcblk_queue_rq(struct blk_mq_hw_ctx *hctx,
				   const struct blk_mq_queue_data *bd)
{
	zcblk_queue_one(hctx->queue->queuedata, bd->rq);
	return BLK_STS_OK;
}

/*
 * A plug's requests at once, as blk-mq hands them over when the disk has
 * no scheduler: without it, each one took the direct issue path's budget
 * and tag checks and a call of queue_rq (Documentation/performance.rst).
 * All of a list's requests are of one queue; none is left on it.
 */
static void zcblk_queue_rqs(ZCBLK_RQ_LIST *rqlist)
{
	struct request *rq;

	while ((rq = rq_list_pop(rqlist))) {
		zcblk_rq_own_tag(rq);
		zcblk_queue_one(rq->q->queuedata, rq);
	}
}

static void zcblk_rq_work(struct work_struct *work)
{
	struct zcblk_pdu *pdu = container_of(work, struct zcblk_pdu, work);
	struct request *rq = blk_mq_rq_from_pdu(pdu);
	unsigned int noio;

	/*
	 * Reclaim must not write through the disk whose I/O this is: the
	 * backing file's buffered I/O, fallocate, fsync, copy_file_range
	 * and metadata run here (loop's workers run so too).
	 */
	noio = memalloc_noio_save();
	zcblk_disk_execute(rq->q->queuedata, rq);
	memalloc_noio_restore(noio);
}

/* SOFTIRQ completion mode, through blk_mq_complete_request(). */
static void zcblk_complete(struct request *rq)
{
	struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);

	blk_mq_end_request(rq, pdu->sts);
}

static int zcblk_poll(struct blk_mq_hw_ctx *hctx, struct io_comp_batch *iob)
{
	return zcblk_hctx_reap(hctx->driver_data, iob);
}

static int zcblk_init_request(struct blk_mq_tag_set *set, struct request *rq,
			      unsigned int hctx_idx, unsigned int numa_node)
{
	struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);

	zcblk_rq_init(rq);
	INIT_WORK(&pdu->work, zcblk_rq_work);
	return 0;
}

static int zcblk_init_hctx(struct blk_mq_hw_ctx *hctx, void *data,
			   unsigned int index)
{
	struct zcblk_dev *dev = data;

	hctx->driver_data = &dev->hctxs[index];
	return 0;
}

/* Default queues first, then the poll queues; no separate read queues. */
static void zcblk_map_queues(struct blk_mq_tag_set *set)
{
	struct zcblk_dev *dev = set->driver_data;
	struct blk_mq_queue_map *map;

	map = &set->map[HCTX_TYPE_DEFAULT];
	map->nr_queues = dev->cfg.nr_queues;
	map->queue_offset = 0;
	blk_mq_map_queues(map);
	if (set->nr_maps <= HCTX_TYPE_POLL)
		return;
	set->map[HCTX_TYPE_READ].nr_queues = 0;
	map = &set->map[HCTX_TYPE_POLL];
	map->nr_queues = dev->cfg.poll_queues;
	map->queue_offset = dev->cfg.nr_queues;
	blk_mq_map_queues(map);
}

const struct blk_mq_ops zcblk_mq_ops = {
	.queue_rq	= zcblk_queue_rq,
	.queue_rqs	= zcblk_queue_rqs,
	.complete	= zcblk_complete,
	.timeout	= zcblk_timeout,
	.poll		= zcblk_poll,
	.init_hctx	= zcblk_init_hctx,
	.init_request	= zcblk_init_request,
	.map_queues	= zcblk_map_queues,
};
