// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl export, unexport: serve a disk's block device to other hosts
 * through the kernel's own NVMe over Fabrics target (nvmet) over TCP, by
 * writing nvmet's configfs as nvmetcli would (Debian 12 has no nvmetcli).
 * One subsystem a disk, its namespace 1; a port is shared by the disks
 * exported at the same address and service (Documentation/fabrics.rst).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

#define CONFIGFS	"/sys/kernel/config"
#define NVMET		CONFIGFS "/nvmet"
#define NQN_LEN		224	/* NVMF_NQN_SIZE */

extern char **environ;

/* Writes @val to @dir/@attr; 0 or -errno. */
static int write_attr(const char *dir, const char *attr, const char *val)
{
	char path[PATH_MAX];
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	if (fputs(val, f) == EOF)
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

/* Reads @path's first line into @buf, without its newline; 0 or -errno. */
static int read_attr(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return 0;
}

/* Runs "modprobe -q @module"; its failure shows in what follows. */
static void modprobe(const char *module)
{
	char *argv[] = { "modprobe", "-q", (char *)module, NULL };
	int status;
	pid_t pid;

	if (!posix_spawnp(&pid, "modprobe", NULL, NULL, argv, environ))
		waitpid(pid, &status, 0);
}

/* nvmet's configfs there: configfs mounted, nvmet-tcp loaded. */
static int nvmet_ready(void)
{
	struct stat st;

	if (stat(NVMET, &st)) {
		mount("configfs", CONFIGFS, "configfs", 0, NULL);
		modprobe("nvmet-tcp");
	}
	if (stat(NVMET "/ports", &st)) {
		fprintf(stderr, "%s: nvmet is not available (%s: %s); "
			"'modprobe nvmet-tcp' as root loads it\n", PROG_NAME,
			NVMET, strerror(errno));
		return EXIT_FAILED;
	}
	return 0;
}

int nvmet_exported(__u32 index, char *nqn, size_t len)
{
	char want[32], path[PATH_MAX], got[PATH_MAX];
	struct dirent *s, *n;
	int found = 0;
	DIR *subs, *nss;

	snprintf(want, sizeof(want), "/dev/zcblk%u", index);
	subs = opendir(NVMET "/subsystems");
	if (!subs)
		return 0;
	while (!found && (s = readdir(subs))) {
		if (s->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), NVMET "/subsystems/%s/namespaces",
			 s->d_name);
		nss = opendir(path);
		if (!nss)
			continue;
		while (!found && (n = readdir(nss))) {
			if (n->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path),
				 NVMET "/subsystems/%s/namespaces/%s/device_path",
				 s->d_name, n->d_name);
			if (!read_attr(path, got, sizeof(got)) &&
			    !strcmp(got, want)) {
				snprintf(nqn, len, "%s", s->d_name);
				found = 1;
			}
		}
		closedir(nss);
	}
	closedir(subs);
	return found;
}

/*
 * The port serving TCP at @addr:@svc, made if there is none: its id in
 * @id, and whether it was made (for the unwinding). 0 or -errno.
 */
static int get_port(const char *addr, const char *svc, char *id, size_t len,
		    int *made)
{
	char path[PATH_MAX], dir[PATH_MAX], v[256];
	unsigned long max = 0;
	struct dirent *p;
	DIR *ports;
	int ret;

	*made = 0;
	ports = opendir(NVMET "/ports");
	if (!ports)
		return -errno;
	while ((p = readdir(ports))) {
		unsigned long n = strtoul(p->d_name, NULL, 10);
		int same = 1;

		if (p->d_name[0] == '.')
			continue;
		if (n > max)
			max = n;
		snprintf(path, sizeof(path), NVMET "/ports/%s/addr_trtype",
			 p->d_name);
		same &= !read_attr(path, v, sizeof(v)) && !strcmp(v, "tcp");
		snprintf(path, sizeof(path), NVMET "/ports/%s/addr_traddr",
			 p->d_name);
		same &= !read_attr(path, v, sizeof(v)) && !strcmp(v, addr);
		snprintf(path, sizeof(path), NVMET "/ports/%s/addr_trsvcid",
			 p->d_name);
		same &= !read_attr(path, v, sizeof(v)) && !strcmp(v, svc);
		if (same) {
			snprintf(id, len, "%s", p->d_name);
			closedir(ports);
			return 0;
		}
	}
	closedir(ports);

	snprintf(id, len, "%lu", max + 1);
	snprintf(dir, sizeof(dir), NVMET "/ports/%s", id);
	if (mkdir(dir, 0755))
		return -errno;
	*made = 1;
	ret = write_attr(dir, "addr_trtype", "tcp");
	if (!ret)
		ret = write_attr(dir, "addr_adrfam",
				 strchr(addr, ':') ? "ipv6" : "ipv4");
	if (!ret)
		ret = write_attr(dir, "addr_traddr", addr);
	if (!ret)
		ret = write_attr(dir, "addr_trsvcid", svc);
	if (ret) {
		rmdir(dir);
		*made = 0;
	}
	return ret;
}

/* Removes what export made of subsystem @nqn; errors are left as they are. */
static void remove_subsystem(const char *nqn)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), NVMET "/subsystems/%s/namespaces/1", nqn);
	write_attr(path, "enable", "0");
	rmdir(path);
	snprintf(path, sizeof(path), NVMET "/subsystems/%s", nqn);
	rmdir(path);
}

static void export_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s export DISK [--addr ADDR] [--port PORT] [--nqn NQN]\n"
		"\n"
		"Serve DISK's block device to other hosts over NVMe/TCP, through the\n"
		"kernel's NVMe over Fabrics target (nvmet, loaded if need be): a\n"
		"subsystem NQN with DISK as namespace 1, any host allowed, on a TCP\n"
		"port at ADDR:PORT (shared with the disks exported there). A host\n"
		"then runs 'nvme connect -t tcp -a ADDR -s PORT -n NQN'. Root only.\n"
		"A disk without a block device cannot be exported.\n"
		"\n"
		"      --addr ADDR  the address to listen on, IPv4 or IPv6 (default\n"
		"                   127.0.0.1: this host alone)\n"
		"      --port PORT  the TCP service (default 4420)\n"
		"      --nqn NQN    the subsystem's NQN (default\n"
		"                   nqn.2026-12.local.zcblk:zcblkN)\n"
		"  -h, --help       show this\n",
		PROG_NAME);
}

int export_main(int argc, char *argv[])
{
	enum { OPT_ADDR = 256, OPT_PORT, OPT_NQN };
	static const struct option options[] = {
		{ "addr", required_argument, NULL, OPT_ADDR },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "nqn",  required_argument, NULL, OPT_NQN },
		{ "help", no_argument,	     NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char shortopts[] = ":h";
	const char *addr = "127.0.0.1", *nqn_opt = NULL;
	char nqn[NQN_LEN], dev[32], sub[NQN_LEN + 64], link[PATH_MAX];
	char port[NAME_MAX + 1], svc[16] = "4420", old[NQN_LEN];
	int opt, ret, made;
	struct stat st;
	__u32 index, n;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, shortopts, options, NULL)) != -1) {
		switch (opt) {
		case OPT_ADDR:
			addr = optarg;
			if (!*addr || strlen(addr) > 255 || strchr(addr, '/'))
				return usage_error("export", "invalid address: %s",
						   optarg);
			break;
		case OPT_PORT:
			if (parse_u32(optarg, &n) || !n || n > 65535)
				return usage_error("export", "invalid port (1..65535): %s",
						   optarg);
			snprintf(svc, sizeof(svc), "%u", n);
			break;
		case OPT_NQN:
			nqn_opt = optarg;
			if (strncmp(optarg, "nqn.", 4) ||
			    strlen(optarg) >= NQN_LEN || strchr(optarg, '/'))
				return usage_error("export", "invalid NQN (nqn.YYYY-MM.domain:name, below %d bytes): %s",
						   NQN_LEN, optarg);
			break;
		case 'h':
			export_usage(stdout);
			return 0;
		default:
			return bad_option("export", opt, argv, shortopts,
					  options);
		}
	}
	if (optind != argc - 1)
		return usage_error("export", "expected one disk (index or name)");
	if (parse_disk(argv[optind], &index))
		return usage_error("export", "not a disk index or name: %s",
				   argv[optind]);
	snprintf(dev, sizeof(dev), "/dev/zcblk%u", index);
	if (stat(dev, &st) || !S_ISBLK(st.st_mode)) {
		fprintf(stderr, "%s: %s: no such block device (nvmet serves block devices; a disk with metadata but no PI has none)\n",
			PROG_NAME, dev);
		return EXIT_FAILED;
	}
	if (nqn_opt)
		snprintf(nqn, sizeof(nqn), "%s", nqn_opt);
	else
		snprintf(nqn, sizeof(nqn), "nqn.2026-12.local.zcblk:zcblk%u",
			 index);
	ret = nvmet_ready();
	if (ret)
		return ret;
	if (nvmet_exported(index, old, sizeof(old))) {
		fprintf(stderr, "%s: zcblk%u: already exported as %s\n",
			PROG_NAME, index, old);
		return EXIT_FAILED;
	}

	snprintf(sub, sizeof(sub), NVMET "/subsystems/%s", nqn);
	if (mkdir(sub, 0755)) {
		ret = -errno;
		fprintf(stderr, "%s: %s: %s\n", PROG_NAME, sub,
			ret == -EEXIST ? "the subsystem exists already" :
					 strerror(-ret));
		return EXIT_FAILED;
	}
	ret = write_attr(sub, "attr_allow_any_host", "1");
	if (!ret) {
		snprintf(link, sizeof(link), "%s/namespaces/1", sub);
		ret = mkdir(link, 0755) ? -errno : 0;
	}
	if (!ret)
		ret = write_attr(link, "device_path", dev);
	if (!ret)
		ret = write_attr(link, "enable", "1");
	if (ret) {
		fprintf(stderr, "%s: %s: namespace 1 on %s: %s\n", PROG_NAME,
			nqn, dev, strerror(-ret));
		goto err_remove_subsystem;
	}
	ret = get_port(addr, svc, port, sizeof(port), &made);
	if (ret) {
		fprintf(stderr, "%s: the TCP port at %s:%s: %s\n", PROG_NAME,
			addr, svc, strerror(-ret));
		goto err_remove_subsystem;
	}
	/* Linking the subsystem enables the port: it listens from then on. */
	snprintf(link, sizeof(link), NVMET "/ports/%s/subsystems/%s", port,
		 nqn);
	if (symlink(sub, link)) {
		ret = -errno;
		fprintf(stderr, "%s: listening on %s:%s: %s\n", PROG_NAME,
			addr, svc, strerror(-ret));
		goto err_remove_port;
	}
	printf("zcblk%u: %s on tcp %s:%s\n", index, nqn, addr, svc);
	return 0;

err_remove_port:
	if (made) {
		snprintf(link, sizeof(link), NVMET "/ports/%s", port);
		rmdir(link);
	}
err_remove_subsystem:
	remove_subsystem(nqn);
	return EXIT_FAILED;
}

static void unexport_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s unexport DISK\n"
		"\n"
		"Stop serving DISK over NVMe/TCP: hosts connected to it lose the\n"
		"controller, its subsystem goes, and a port no other disk uses.\n"
		"Root only.\n"
		"\n"
		"  -h, --help    show this\n",
		PROG_NAME);
}

int unexport_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char shortopts[] = ":h";
	char nqn[NQN_LEN], path[PATH_MAX];
	struct dirent *p;
	__u32 index;
	DIR *ports;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, shortopts, options, NULL)) != -1) {
		switch (opt) {
		case 'h':
			unexport_usage(stdout);
			return 0;
		default:
			return bad_option("unexport", opt, argv, shortopts,
					  options);
		}
	}
	if (optind != argc - 1)
		return usage_error("unexport", "expected one disk (index or name)");
	if (parse_disk(argv[optind], &index))
		return usage_error("unexport", "not a disk index or name: %s",
				   argv[optind]);
	if (!nvmet_exported(index, nqn, sizeof(nqn))) {
		fprintf(stderr, "%s: zcblk%u: not exported\n", PROG_NAME,
			index);
		return EXIT_FAILED;
	}
	/* Off the ports first: that ends the hosts' controllers. */
	ports = opendir(NVMET "/ports");
	while (ports && (p = readdir(ports))) {
		if (p->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), NVMET "/ports/%s/subsystems/%s",
			 p->d_name, nqn);
		if (unlink(path))
			continue;
		/* A port left without subsystems is ours to remove. */
		snprintf(path, sizeof(path), NVMET "/ports/%s", p->d_name);
		rmdir(path);
	}
	if (ports)
		closedir(ports);
	remove_subsystem(nqn);
	snprintf(path, sizeof(path), NVMET "/subsystems/%s", nqn);
	if (!access(path, F_OK)) {
		fprintf(stderr, "%s: %s: could not be removed\n", PROG_NAME,
			path);
		return EXIT_FAILED;
	}
	printf("zcblk%u: %s removed\n", index, nqn);
	return 0;
}
