/*
 * serve.h: the preview server of `wpgen serve` (libmicrohttpd).
 *
 * It serves the files of the output directory, and nothing outside it;
 * into each HTML page it serves (never into the files) it adds one
 * script element that loads /__wpgen/live.js, which listens to
 * /__wpgen/events (Server-Sent Events) and reloads the page after a
 * build, or shows the build's diagnostics over the page when a build
 * failed (the last good pages stay served).  A connection thread a
 * client, a bounded number of them.
 */
#ifndef WP_SERVE_H
#define WP_SERVE_H

typedef struct wp_server wp_server;

/*
 * Starts serving out_dir on addr:port (IPv4 or IPv6 literal; port 0:
 * any free port).  assets_dir (templates/serve) holds live.js, the
 * reload script, and notfound.html, the page of a missing file.  NULL
 * with a message in err (malloc'd) when the server cannot start.
 */
wp_server *wp_server_new(const char *addr, int port, const char *out_dir,
    const char *assets_dir, char **err);
/* The port it listens on. */
int wp_server_port(const wp_server *s);
/*
 * After a build: ok says whether it succeeded; diagnostics is its error
 * output (shown in the overlay when it failed).  A successful build makes
 * open pages reload; every client is told either way.
 */
void wp_server_publish(wp_server *s, int ok, const char *diagnostics);
/* Ends the event streams, closes every connection, frees. */
void wp_server_free(wp_server *s);

#endif
