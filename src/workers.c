/*
 * workers.c: worker processes that share a list of jobs (workers.h).
 */
#define _GNU_SOURCE     /* memfd_create, pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "path.h"
#include "util.h"
#include "workers.h"

/* The next job from the pipe; 0 when there is none left. */
static int
next_job(int fd, uint32_t *k)
{
	ssize_t n;

	do
		n = read(fd, k, sizeof *k);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof *k;
}

/* A worker's life: its jobs, then its report into fd; the exit status. */
static int
work(const wp_workers_ops *ops, void *ctx, int jobs, int fd)
{
	wp_buf out = WP_BUF_INIT;
	uint32_t k;
	int rc;

	if (ops->start)
		ops->start(ctx);
	while (next_job(jobs, &k))
		ops->run(ctx, k);
	rc = ops->report(ctx, &out) == 0 &&
	    wp_write_all(fd, out.data ? out.data : "", out.len) == 0 ? 0 : 3;
	wp_buf_free(&out);
	return rc;
}

/* What a worker wrote into its memory file fd, or NULL. */
static char *
read_report(int fd, size_t *len)
{
	off_t size = lseek(fd, 0, SEEK_END);
	char *text;
	ssize_t n;
	size_t got = 0;

	if (size < 0)
		return NULL;
	text = xmalloc((size_t)size + 1);
	while (got < (size_t)size) {
		n = pread(fd, text + got, (size_t)size - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(text);
			return NULL;
		}
		got += (size_t)n;
	}
	text[got] = '\0';
	*len = got;
	return text;
}

/* Waits for worker w and merges its report; 1 when it failed. */
static int
finish(const wp_workers_ops *ops, void *ctx, size_t w, pid_t pid, int fd,
    const char *what, const char *where, wp_diags *d)
{
	int status = 0;
	char *report = NULL;
	size_t len = 0;

	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		report = read_report(fd, &len);
	if (report == NULL) {
		wp_diag_add(d, WP_ERROR, where, 0, 0, "internal-error",
		    "%s %zu %s", what, w + 1, pid <= 0 ? "could not start" :
		    WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) :
		    WIFEXITED(status) && WEXITSTATUS(status) == 0 ?
		    "ended without a report" : "failed");
		return 1;
	}
	ops->merge(ctx, report, len);
	free(report);
	return 0;
}

/* Writes the job numbers into the pipe, then closes it.  Workers that
 * died leave it without a reader: that is an error to write, not a
 * signal that would kill the parent (their death is reported). */
static void
hand_out(int fd, const uint32_t *todo, size_t n)
{
	struct sigaction ign, old;
	size_t k;

	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	for (k = 0; k < n; k++)
		if (wp_write_all(fd, (const char *)&todo[k], sizeof todo[k]) != 0)
			break;
	close(fd);
	sigaction(SIGPIPE, &old, NULL);
}

/* In worker w: the report files of the workers started before it, which
 * it must not write. */
static void
close_earlier(const int *files, size_t w)
{
	size_t k;

	for (k = 0; k < w; k++)
		if (files[k] >= 0)
			close(files[k]);
}

size_t
wp_workers_run(size_t nworkers, const uint32_t *todo, size_t n,
    const wp_workers_ops *ops, void *ctx, const char *what,
    const char *where, wp_diags *d)
{
	pid_t parent = getpid(), *pids;
	int fds[2], *files, here = 0;
	size_t w, nchildren, failed = 0;
	uint32_t k;

	if (nworkers > n)
		nworkers = n;
	if (nworkers == 0)
		return 0;
	if (pipe2(fds, O_CLOEXEC) != 0) {
		wp_diag_add(d, WP_ERROR, where, 0, 0, "internal-error",
		    "cannot make a pipe for the %ss: %s", what,
		    strerror(errno));
		return nworkers;
	}
	/* The parent takes jobs too when the queue holds them all (it
	 * writes them before it takes one). */
	if (ops->run_here && nworkers > 1 && n <= 16384 &&
	    (fcntl(fds[1], F_GETPIPE_SZ) >= (int)(n * sizeof *todo) ||
	    fcntl(fds[1], F_SETPIPE_SZ, (int)(n * sizeof *todo)) >= 0))
		here = 1;
	nchildren = nworkers - (size_t)here;
	pids = xcalloc(nworkers, sizeof *pids);
	files = xcalloc(nworkers, sizeof *files);
	fflush(NULL);
	for (w = 0; w < nchildren; w++) {
		files[w] = memfd_create("wpgen-worker", MFD_CLOEXEC);
		if (files[w] < 0) {
			pids[w] = -1;
			continue;
		}
		if ((pids[w] = fork()) == 0) {
			/* A worker dies with its parent: after kill -9 of
			 * the parent nothing goes on. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(3);
			close(fds[1]);
			close_earlier(files, w);
			_exit(work(ops, ctx, fds[0], files[w]));
		}
	}
	if (!here)
		close(fds[0]);
	hand_out(fds[1], todo, n);
	if (here) {
		while (next_job(fds[0], &k))
			ops->run_here(ctx, k);
		close(fds[0]);
	}
	for (w = 0; w < nchildren; w++) {
		failed += (size_t)finish(ops, ctx, w, pids[w], files[w], what,
		    where, d);
		if (files[w] >= 0)
			close(files[w]);
	}
	free(files);
	free(pids);
	return failed;
}
