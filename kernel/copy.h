/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copy (NVM Command Set, 19h): the limits Identify Namespace reports and
 * the command. Documentation/passthrough.rst.
 */
#ifndef ZCBLK_COPY_H
#define ZCBLK_COPY_H

struct request;
struct zcblk_dev;
struct zcblk_pdu;

/* Source ranges per command (MSRC + 1), blocks per range, per command */
#define ZCBLK_COPY_MSRC		128
#define ZCBLK_COPY_MSSRL	4096
#define ZCBLK_COPY_MCL		65536

int zcblk_nvme_copy(struct zcblk_dev *dev, struct request *rq,
		    struct zcblk_pdu *cmd);

#endif /* ZCBLK_COPY_H */
