/*
 * cmd_serve.c: `wpgen serve`: build, serve out/, rebuild on change.
 *
 * Each build is `wpgen build` run as a child process (the program's own
 * /proc/self/exe) with the same options: it writes out/ as a build
 * always does (whole or not at all, so the last good pages stay served)
 * and its diagnostics, read from its standard error, go to the terminal
 * and to the pages' overlay (serve.c).  The content and templates trees
 * are watched with inotify (watch.c); changes that come within
 * SETTLE_MS of each other make one rebuild.  SIGINT and SIGTERM stop it
 * cleanly: the event streams end, connections close, exit 0.
 */
#define _GNU_SOURCE  /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "commands.h"
#include "content.h"
#include "project.h"
#include "serve.h"
#include "share.h"
#include "util.h"
#include "watch.h"

#define SETTLE_MS 50

extern char **environ;

typedef struct serve_opts {
	const char *bind, *content, *templates, *out, *jobs;
	int port;
	const char **build_args;      /* --service ID, --lang L, --pdf as
	                                 given: for each build */
	size_t nbuild_args;
} serve_opts;

static const char serve_usage[] =
    "usage: wpgen serve [--port N] [--bind ADDR] [--content DIR]\n"
    "                   [--templates DIR] [--out DIR] [--service ID]...\n"
    "                   [--lang L]... [--jobs N] [--pdf] [--quiet]\n"
    "\n"
    "Builds the site into OUT (default out/), serves it on\n"
    "http://127.0.0.1:8000/ (--bind and --port change that; --port 0 takes\n"
    "any free port) and builds again whenever a file under the content or\n"
    "the templates changes.  Open pages reload by themselves; when a build\n"
    "fails, its errors are shown over the page and the last good pages stay\n"
    "served.  Each change runs `wpgen build` with the build options given\n"
    "here (--pdf: the PDFs too), which rebuilds only the editions whose\n"
    "inputs changed; builds are always quiet, so --quiet changes nothing.\n"
    "Ctrl-C stops the server.\n";

static int signal_pipe[2] = {-1, -1};

static void
on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	if (write(signal_pipe[1], &c, 1) < 0) {
		/* nothing more to do in a signal handler */
	}
	errno = saved;
}

/* Adds a build option and its argument (b NULL: none). */
static void
push(serve_opts *o, const char *a, const char *b)
{
	o->build_args = xrealloc(o->build_args, (o->nbuild_args + 2) *
	    sizeof *o->build_args);
	o->build_args[o->nbuild_args++] = a;
	if (b)
		o->build_args[o->nbuild_args++] = b;
}

static int
parse_serve_opts(int argc, char **argv, serve_opts *o)
{
	static const struct option longopts[] = {
		{"port", required_argument, NULL, 'p'},
		{"bind", required_argument, NULL, 'b'},
		{"content", required_argument, NULL, 'c'},
		{"templates", required_argument, NULL, 't'},
		{"out", required_argument, NULL, 'o'},
		{"service", required_argument, NULL, 's'},
		{"lang", required_argument, NULL, 'l'},
		{"jobs", required_argument, NULL, 'j'},
		{"pdf", no_argument, NULL, 'P'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	int c;
	char *end;
	long port;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:b:c:t:o:s:l:j:qh", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'p':
			port = strtol(optarg, &end, 10);
			if (*end || end == optarg || port < 0 || port > 65535) {
				fprintf(stderr, "wpgen serve: --port needs a "
				    "number from 0 to 65535\n");
				return WP_EXIT_USAGE;
			}
			o->port = (int)port;
			break;
		case 'b': o->bind = optarg; break;
		case 'c': o->content = optarg; break;
		case 't': o->templates = optarg; break;
		case 'o': o->out = optarg; break;
		case 's': push(o, "--service", optarg); break;
		case 'l': push(o, "--lang", optarg); break;
		case 'j': o->jobs = optarg; break;
		case 'P': push(o, "--pdf", NULL); break;
		case 'q': break;  /* builds are quiet anyway */
		case 'h': fputs(serve_usage, stdout); return -1;
		default: fputs(serve_usage, stderr); return WP_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "wpgen serve: unexpected argument '%s'\n",
		    argv[optind]);
		fputs(serve_usage, stderr);
		return WP_EXIT_USAGE;
	}
	return 0;
}

/* Whether every --service names a service of the content (said as
 * every command says it when not). */
static int
services_known(const serve_opts *o)
{
	size_t i, j, n;
	char **ids = wp_service_ids(o->content, &n);
	const char *id;
	int ok = 1, found;

	/* build_args: "--pdf" alone, every other option with its value. */
	for (i = 0; i < o->nbuild_args; i += strcmp(o->build_args[i],
	    "--pdf") ? 2 : 1) {
		if (strcmp(o->build_args[i], "--service") != 0)
			continue;
		id = o->build_args[i + 1];
		for (found = 0, j = 0; j < n && !found; j++)
			found = strcmp(ids[j], id) == 0;
		if (!found) {
			wp_project_say_no_service("serve", o->content, id);
			ok = 0;
		}
	}
	wp_strv_free(ids);
	return ok;
}

/* ---- building ---- */

typedef struct builder {
	char exe[PATH_MAX];
	char **argv;
} builder;

static void
builder_init(builder *b, const serve_opts *o, const char *templates)
{
	size_t n = 0, i;
	ssize_t len = readlink("/proc/self/exe", b->exe, sizeof b->exe - 1);

	b->exe[len > 0 ? len : 0] = '\0';
	b->argv = xcalloc(12 + o->nbuild_args, sizeof *b->argv);
	b->argv[n++] = "wpgen";
	b->argv[n++] = "build";
	b->argv[n++] = "--quiet";
	b->argv[n++] = "--content";
	b->argv[n++] = (char *)o->content;
	b->argv[n++] = "--templates";
	b->argv[n++] = (char *)templates;
	b->argv[n++] = "--out";
	b->argv[n++] = (char *)o->out;
	if (o->jobs) {
		b->argv[n++] = "--jobs";
		b->argv[n++] = (char *)o->jobs;
	}
	for (i = 0; i < o->nbuild_args; i++)
		b->argv[n++] = (char *)o->build_args[i];
	b->argv[n] = NULL;
}

/* Runs one build; its standard error into diags.  Its exit status (3
 * when it could not run). */
static int
run_build(const builder *b, wp_buf *diags)
{
	posix_spawn_file_actions_t fa;
	int fds[2], status = -1;
	pid_t pid;
	char chunk[4096];
	ssize_t n;

	wp_buf_clear(diags);
	if (pipe2(fds, O_CLOEXEC) != 0) {
		wp_buf_printf(diags, "wpgen serve: cannot run the build: %s\n",
		    strerror(errno));
		return 0;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
	if (posix_spawn(&pid, b->exe, &fa, NULL, b->argv, environ) != 0) {
		wp_buf_printf(diags, "wpgen serve: cannot run %s\n", b->exe);
		pid = -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	while ((n = read(fds[0], chunk, sizeof chunk)) > 0 ||
	    (n < 0 && errno == EINTR))
		if (n > 0)
			wp_buf_put(diags, chunk, (size_t)n);
	close(fds[0]);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : WP_EXIT_IO;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Builds; tells the pages.  Returns the build's exit status. */
static int
build_and_publish(const builder *b, wp_server *s, const char *why)
{
	wp_buf diags = WP_BUF_INIT;
	double start = now();
	int status = run_build(b, &diags), ok = status == WP_EXIT_OK;

	fwrite(diags.data ? diags.data : "", 1, diags.len, stderr);
	fprintf(stderr, "%s%s in %.2f s\n", why, ok ? "built" :
	    "build failed (the last good pages stay served)", now() - start);
	wp_server_publish(s, ok, wp_buf_cstr(&diags));
	wp_buf_free(&diags);
	return status;
}

/* ---- the loop ---- */

static char *
serve_assets(const char *templates)
{
	char *dir = wp_path_join(templates, "serve"), *share;

	if (wp_is_dir(dir) || (share = wp_share_dir()) == NULL)
		return dir;
	free(dir);
	dir = wp_path_join(share, "templates/serve");
	free(share);
	return dir;
}

/* Waits for changes to settle; returns the path that changed last. */
static char *
settle(wp_watch *w, char *last)
{
	struct pollfd p = {wp_watch_fd(w), POLLIN, 0};
	char *more;
	double start = now();

	while (poll(&p, 1, SETTLE_MS) > 0 && now() - start < 1.0) {
		if (wp_watch_read(w, &more) > 0 && more) {
			free(last);
			last = more;
		} else {
			free(more);
		}
	}
	return last;
}

static int
serve_loop(const builder *b, wp_server *s, wp_watch *w)
{
	struct pollfd p[2] = {{signal_pipe[0], POLLIN, 0},
	    {wp_watch_fd(w), POLLIN, 0}};
	char *last = NULL, *why;

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("wpgen serve: poll");
			return WP_EXIT_IO;
		}
		if (p[0].revents)
			return WP_EXIT_OK;
		if (p[1].revents && wp_watch_read(w, &last) > 0) {
			last = settle(w, last);
			why = xasprintf("%s changed: ", last ? last : "a file");
			build_and_publish(b, s, why);
			free(why);
		}
		free(last);
		last = NULL;
	}
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
cmd_serve(int argc, char **argv)
{
	serve_opts o = {"127.0.0.1", "content", NULL, "out", NULL, 8000, NULL,
	    0};
	char *templates, *assets, *err = NULL;
	const char *roots[3];
	builder b;
	wp_server *s;
	wp_watch *w;
	int rc;

	if ((rc = parse_serve_opts(argc, argv, &o)) != 0) {
		free(o.build_args);
		return rc < 0 ? WP_EXIT_OK : rc;
	}
	if (!wp_is_dir(o.content)) {
		fprintf(stderr, "wpgen serve: no content directory %s; start a "
		    "site with `wpgen init`, or give --content DIR\n",
		    o.content);
		free(o.build_args);
		return WP_EXIT_IO;
	}
	if (!services_known(&o)) {
		free(o.build_args);
		return WP_EXIT_USAGE;
	}
	templates = wp_templates_find(o.templates);
	assets = serve_assets(templates);
	builder_init(&b, &o, templates);
	if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		perror("wpgen serve");
		rc = WP_EXIT_IO;
		goto done;
	}
	catch_signals();
	roots[0] = o.content;
	roots[1] = templates;
	roots[2] = NULL;
	if ((w = wp_watch_new(roots)) == NULL) {
		perror("wpgen serve: inotify");
		rc = WP_EXIT_IO;
		goto done;
	}
	if ((s = wp_server_new(o.bind, o.port, o.out, assets, &err)) == NULL) {
		fprintf(stderr, "wpgen serve: %s\n", err);
		free(err);
		wp_watch_free(w);
		rc = WP_EXIT_IO;
		goto done;
	}
	printf(strchr(o.bind, ':') ? "serving http://[%s]:%d/\n" :
	    "serving http://%s:%d/\n", o.bind, wp_server_port(s));
	fflush(stdout);
	/* A usage error (an unknown --service or --lang) will not mend. */
	if (build_and_publish(&b, s, "") == WP_EXIT_USAGE)
		rc = WP_EXIT_USAGE;
	else
		rc = serve_loop(&b, s, w);
	wp_server_free(s);
	wp_watch_free(w);
	fputs("wpgen serve: stopped\n", stderr);
done:
	if (signal_pipe[0] >= 0) {
		close(signal_pipe[0]);
		close(signal_pipe[1]);
	}
	free(b.argv);
	free(assets);
	free(templates);
	free(o.build_args);
	return rc;
}
