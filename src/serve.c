/*
 * serve.c: the preview server (serve.h).
 *
 * libmicrohttpd (opened when a server starts: dynlib.h) runs a thread a
 * connection (at most MAX_CONNECTIONS).
 * Requests map to files under the output directory: a path with a ".."
 * or a hidden component is refused (libmicrohttpd has already decoded
 * %2e%2e and friends), and the resolved file must still lie inside the
 * directory, so a symbolic link cannot lead out.  The event stream of a
 * client waits on a condition variable for the next build.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "dynlib.h"
#include "serve.h"
#include "util.h"
#include "value.h"

/* The libmicrohttpd functions called here: mhd.NAME is MHD_NAME, looked
 * up when a server starts (mhd_load).  The soname is the one of the
 * library the header belongs to (the Makefile asks the linker). */
#define MHD_FUNCTIONS(X) \
	X(start_daemon) X(stop_daemon) X(get_daemon_info) \
	X(create_response_from_buffer) X(create_response_from_fd) \
	X(create_response_from_callback) X(add_response_header) \
	X(queue_response) X(destroy_response)

#ifndef WP_MHD_SONAME
#define WP_MHD_SONAME "libmicrohttpd.so.12"
#endif

static struct {
#define X(name) __typeof__(MHD_##name) *name;
	MHD_FUNCTIONS(X)
#undef X
	int loaded;
} mhd;

/* Opens libmicrohttpd; *err says why it cannot be. */
static void
mhd_load(char **err)
{
	void *h;

	if (mhd.loaded || (h = wp_dynlib_open(WP_MHD_SONAME, err)) == NULL)
		return;
#define X(name) \
	if (wp_dynlib_sym(h, WP_MHD_SONAME, "MHD_" #name, (void **)&mhd.name, \
	    err) != 0) \
		return;
	MHD_FUNCTIONS(X)
#undef X
	mhd.loaded = 1;
}

#define MAX_CONNECTIONS 64
#define IDLE_TIMEOUT    60      /* seconds without traffic */
#define PING_INTERVAL   1       /* seconds between keep-alive comments:
                                   a closed client frees its slot then */
#define EVENT_BLOCK     65536   /* largest event the stream sends */

struct wp_server {
	struct MHD_Daemon *daemon;
	char *out_dir;
	char *live_js, *not_found;   /* the files of templates/serve/ */
	size_t live_js_len, not_found_len;
	int port;
	pthread_mutex_t mu;
	pthread_cond_t changed;
	unsigned long generation;    /* one a publish */
	unsigned long build;         /* the last good build */
	char *event;                 /* the state, as an SSE event */
	int stopping;
};

/* One client's event stream. */
typedef struct stream {
	wp_server *s;
	unsigned long sent;          /* the generation it has seen */
} stream;

/* ---- content types ---- */

static const struct {
	const char *ext, *type;
} content_types[] = {
	{"html", "text/html; charset=utf-8"},
	{"css", "text/css; charset=utf-8"},
	{"js", "text/javascript; charset=utf-8"},
	{"json", "application/json"},
	{"csv", "text/csv; charset=utf-8"},
	{"txt", "text/plain; charset=utf-8"},
	{"xml", "application/xml"},
	{"svg", "image/svg+xml"},
	{"png", "image/png"},
	{"jpg", "image/jpeg"},
	{"jpeg", "image/jpeg"},
	{"gif", "image/gif"},
	{"webp", "image/webp"},
	{"ico", "image/x-icon"},
	{"pdf", "application/pdf"},
	{"woff", "font/woff"},
	{"woff2", "font/woff2"},
};

static const char *
content_type(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	size_t i;

	if (dot && (slash == NULL || dot > slash))
		for (i = 0; i < sizeof content_types / sizeof content_types[0];
		    i++)
			if (strcasecmp(dot + 1, content_types[i].ext) == 0)
				return content_types[i].type;
	return "application/octet-stream";
}

/* ---- responses ---- */

static enum MHD_Result
queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r,
    const char *type)
{
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;
	if (type)
		mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	mhd.add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	mhd.add_response_header(r, "X-Content-Type-Options", "nosniff");
	ret = mhd.queue_response(c, status, r);
	mhd.destroy_response(r);
	return ret;
}

static enum MHD_Result
plain(struct MHD_Connection *c, unsigned status, const char *text)
{
	return queue(c, status, mhd.create_response_from_buffer(strlen(text),
	    (void *)text, MHD_RESPMEM_PERSISTENT), "text/plain; charset=utf-8");
}

/* An HTML page with the reload script before its last </body>. */
static enum MHD_Result
html(struct MHD_Connection *c, wp_server *s, unsigned status,
    const char *page, size_t len)
{
	wp_buf b = WP_BUF_INIT;
	size_t at = len, i;
	unsigned long build;

	for (i = len; i >= 7; i--)
		if (strncasecmp(page + i - 7, "</body>", 7) == 0) {
			at = i - 7;
			break;
		}
	pthread_mutex_lock(&s->mu);
	build = s->build;
	pthread_mutex_unlock(&s->mu);
	wp_buf_put(&b, page, at);
	wp_buf_printf(&b, "<script src=\"/__wpgen/live.js\" "
	    "data-build=\"%lu\"></script>", build);
	wp_buf_put(&b, page + at, len - at);
	len = b.len;
	return queue(c, status, mhd.create_response_from_buffer(len,
	    wp_buf_detach(&b), MHD_RESPMEM_MUST_FREE),
	    "text/html; charset=utf-8");
}

static enum MHD_Result
not_found(struct MHD_Connection *c, wp_server *s)
{
	return html(c, s, MHD_HTTP_NOT_FOUND, s->not_found, s->not_found_len);
}

/* ---- files ---- */

/* A request path that may name a file of the site: absolute, with no
 * empty-dotted, "..", hidden or backslashed component. */
static int
safe_path(const char *url)
{
	const char *p = url, *end;

	if (*p != '/')
		return 0;
	while (*p) {
		p++;
		end = p + strcspn(p, "/");
		if (end > p && *p == '.')
			return 0;
		if (memchr(p, '\\', (size_t)(end - p)))
			return 0;
		p = end;
	}
	return 1;
}

/* path resolves to a file inside root (both resolved now: out/ is
 * replaced by every build). */
static int
inside(const char *root, const char *path)
{
	char r[PATH_MAX], f[PATH_MAX];
	size_t n;

	if (realpath(root, r) == NULL || realpath(path, f) == NULL)
		return 0;
	n = strlen(r);
	return strncmp(r, f, n) == 0 && f[n] == '/';
}

static enum MHD_Result
serve_file(struct MHD_Connection *c, wp_server *s, const char *url)
{
	char *path = xasprintf("%s%s", s->out_dir, url), *full, *data;
	const char *type;
	struct stat st;
	size_t len;
	int fd;
	enum MHD_Result ret;

	if (wp_is_dir(path)) {
		if (url[strlen(url) - 1] != '/') {
			struct MHD_Response *r = mhd.create_response_from_buffer(
			    0, "", MHD_RESPMEM_PERSISTENT);
			char *to = xasprintf("%s/", url);
			mhd.add_response_header(r, MHD_HTTP_HEADER_LOCATION, to);
			free(to);
			free(path);
			return queue(c, MHD_HTTP_MOVED_PERMANENTLY, r, NULL);
		}
		full = wp_path_join(path, "index.html");
		free(path);
		path = full;
	}
	if (!inside(s->out_dir, path) || !wp_is_file(path)) {
		free(path);
		return not_found(c, s);
	}
	type = content_type(path);
	if (strncmp(type, "text/html", 9) == 0) {
		data = wp_read_file(path, &len);
		free(path);
		if (data == NULL)
			return not_found(c, s);
		ret = html(c, s, MHD_HTTP_OK, data, len);
		free(data);
		return ret;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return not_found(c, s);
	}
	return queue(c, MHD_HTTP_OK, mhd.create_response_from_fd(
	    (uint64_t)st.st_size, fd), type);
}

/* ---- events ---- */

static ssize_t
read_events(void *cls, uint64_t pos, char *buf, size_t max)
{
	stream *st = cls;
	wp_server *s = st->s;
	struct timespec until;
	size_t n = 0;
	int rc = 0;

	(void)pos;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += PING_INTERVAL;
	pthread_mutex_lock(&s->mu);
	while (!s->stopping && st->sent == s->generation && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&s->changed, &s->mu, &until);
	if (s->stopping) {
		pthread_mutex_unlock(&s->mu);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	if (st->sent != s->generation) {
		n = strlen(s->event);
		if (n > max)
			n = max;   /* cannot happen: events are kept smaller */
		memcpy(buf, s->event, n);
		st->sent = s->generation;
	}
	pthread_mutex_unlock(&s->mu);
	if (n == 0) {
		n = strlen(": ping\n\n");
		memcpy(buf, ": ping\n\n", n);
	}
	return (ssize_t)n;
}

static enum MHD_Result
serve_events(struct MHD_Connection *c, wp_server *s)
{
	stream *st = xcalloc(1, sizeof *st);
	struct MHD_Response *r;

	st->s = s;
	r = mhd.create_response_from_callback(MHD_SIZE_UNKNOWN, EVENT_BLOCK,
	    read_events, st, free);
	return queue(c, MHD_HTTP_OK, r, "text/event-stream");
}

/* ---- requests ---- */

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_size, void **req)
{
	static int first;
	wp_server *s = cls;

	(void)version;
	(void)upload_data;
	if (*req == NULL) {
		*req = &first;
		return MHD_YES;
	}
	if (*upload_size != 0)
		return plain(c, MHD_HTTP_BAD_REQUEST, "no request bodies\n");
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return plain(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "GET or HEAD only\n");
	if (strcmp(url, "/__wpgen/live.js") == 0)
		return queue(c, MHD_HTTP_OK, mhd.create_response_from_buffer(
		    s->live_js_len, s->live_js, MHD_RESPMEM_PERSISTENT),
		    "text/javascript; charset=utf-8");
	if (strcmp(url, "/__wpgen/events") == 0)
		return serve_events(c, s);
	if (!safe_path(url))
		return plain(c, MHD_HTTP_FORBIDDEN, "forbidden\n");
	return serve_file(c, s, url);
}

/* ---- the server ---- */

static int
parse_addr(const char *addr, int port, struct sockaddr_storage *ss,
    unsigned *flags)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*flags |= MHD_USE_IPv6;
		return 0;
	}
	return -1;
}

static char *
read_asset(const char *dir, const char *name, size_t *len, char **err)
{
	char *path = wp_path_join(dir, name);
	char *data = wp_read_file(path, len);

	if (data == NULL && *err == NULL)
		*err = xasprintf("cannot read %s: %s", path, strerror(errno));
	free(path);
	return data;
}

wp_server *
wp_server_new(const char *addr, int port, const char *out_dir,
    const char *assets_dir, char **err)
{
	wp_server *s = xcalloc(1, sizeof *s);
	struct sockaddr_storage ss;
	/* No MHD_USE_ERROR_LOG: a tab closing mid-stream is not news. */
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD;
	const union MHD_DaemonInfo *info;

	*err = NULL;
	s->out_dir = xstrdup(out_dir);
	s->event = xstrdup("");
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->changed, NULL);
	s->live_js = read_asset(assets_dir, "live.js", &s->live_js_len, err);
	s->not_found = read_asset(assets_dir, "notfound.html",
	    &s->not_found_len, err);
	if (*err == NULL && parse_addr(addr, port, &ss, &flags) != 0)
		*err = xasprintf("'%s' is not an IPv4 or IPv6 address", addr);
	if (*err == NULL)
		mhd_load(err);
	if (*err == NULL) {
		s->daemon = mhd.start_daemon(flags, 0, NULL, NULL, handle, s,
		    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		    MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT,
		    MHD_OPTION_END);
		if (s->daemon == NULL)
			*err = xasprintf("cannot listen on %s port %d: %s",
			    addr, port, strerror(errno));
	}
	if (*err) {
		wp_server_free(s);
		return NULL;
	}
	info = mhd.get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : port;
	return s;
}

int
wp_server_port(const wp_server *s)
{
	return s->port;
}

void
wp_server_publish(wp_server *s, int ok, const char *diagnostics)
{
	wp_value *state = wp_value_new_map();
	wp_buf json = WP_BUF_INIT;
	char *event;

	pthread_mutex_lock(&s->mu);
	if (ok)
		s->build++;
	wp_map_set_int(state, "build", (long long)s->build);
	wp_map_set_bool(state, "ok", ok);
	/* Diagnostics past what one event holds are cut. */
	wp_map_set(state, "diagnostics", wp_value_new_stringn(diagnostics,
	    strnlen(diagnostics, EVENT_BLOCK / 2)));
	wp_value_write_json(state, &json);
	event = xasprintf("event: state\ndata: %s\n\n", wp_buf_cstr(&json));
	free(s->event);
	s->event = event;
	s->generation++;
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->mu);
	wp_buf_free(&json);
	wp_value_free(state);
}

void
wp_server_free(wp_server *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->mu);
	s->stopping = 1;
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->mu);
	if (s->daemon)
		mhd.stop_daemon(s->daemon);
	pthread_cond_destroy(&s->changed);
	pthread_mutex_destroy(&s->mu);
	free(s->event);
	free(s->live_js);
	free(s->not_found);
	free(s->out_dir);
	free(s);
}
