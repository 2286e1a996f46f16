/* SPDX-License-Identifier: GPL-2.0 */
/* passthru.c: the commands of /dev/zcblk<N>c, for chardev.c and dev.c. */
#ifndef ZCBLK_PASSTHRU_H
#define ZCBLK_PASSTHRU_H

struct file;
struct io_comp_batch;
struct io_uring_cmd;
struct zcblk_dev;

long zcblk_pt_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int zcblk_pt_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags);
int zcblk_pt_uring_cmd_iopoll(struct io_uring_cmd *ioucmd,
			      struct io_comp_batch *iob,
			      unsigned int poll_flags);
void zcblk_pt_wait_idle(struct zcblk_dev *dev);

#endif /* ZCBLK_PASSTHRU_H */
