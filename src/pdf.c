/*
 * pdf.c: PDF editions through WeasyPrint (pdf.h): the check that the
 * tools are there, the PDF's name and date, and running `weasyprint`.
 *
 * WeasyPrint is a separate program (Debian package weasyprint), written
 * in Python: wpgen runs the Python that the `weasyprint` command names on
 * its first line (#!) with a short script (fetch_script below) that
 * calls WeasyPrint's API with a URL fetcher of its own: the content is
 * untrusted, and WeasyPrint would otherwise fetch any http(s) URL and
 * read any file: URL it meets while rendering (an image, a style sheet,
 * an attachment).  Only files inside the job's allowed trees are read
 * (data: URLs too); anything else is refused, and an image refused shows
 * as its alt text.  Its messages go to a log file beside the PDF, and the
 * log's last line is the diagnostic when it fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "pdf.h"
#include "util.h"

/* The full path of a command found along PATH, malloc'd, or NULL. */
static char *
find_command(const char *name)
{
	const char *path = getenv("PATH"), *p, *end;
	char *dir, *full;

	for (p = path ? path : ""; *p; p = *end ? end + 1 : end) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		dir = end > p ? xstrndup(p, (size_t)(end - p)) : xstrdup(".");
		full = wp_path_join(dir, name);
		free(dir);
		if (access(full, X_OK) == 0 && wp_is_file(full))
			return full;
		free(full);
	}
	return NULL;
}

/*
 * What the Python of WeasyPrint runs: argv is HTML PDF ROOT...; a URL is
 * fetched only when it is data: or a file: URL whose real path (after
 * symlinks and ..) lies inside one of the ROOTs.  The HTML file itself is
 * opened by WeasyPrint directly, not through the fetcher.
 */
static const char fetch_script[] =
    "import os, sys\n"
    "from urllib.parse import unquote, urlsplit\n"
    "import weasyprint\n"
    "html, pdf = sys.argv[1], sys.argv[2]\n"
    "roots = [os.path.realpath(r) for r in sys.argv[3:]]\n"
    "def inside(path):\n"
    "    real = os.path.realpath(path)\n"
    "    return any(real == r or real.startswith(r.rstrip('/') + '/')\n"
    "               for r in roots)\n"
    "def fetch(url, timeout=10, ssl_context=None):\n"
    "    u = urlsplit(url)\n"
    "    if u.scheme == 'data' or (u.scheme == 'file' and\n"
    "            u.netloc in ('', 'localhost') and inside(unquote(u.path))):\n"
    "        return weasyprint.default_url_fetcher(url, timeout, ssl_context)\n"
    "    raise ValueError('wpgen fetches nothing outside the output: '\n"
    "                     + url[:200])\n"
    "weasyprint.HTML(filename=html, encoding='utf-8',\n"
    "                url_fetcher=fetch).write_pdf(pdf)\n";

/* Runs argv with its standard output into out (stderr to /dev/null).
 * Returns its exit status, or -1 when it could not run. */
static int
run_capture(char *const *argv, wp_buf *out)
{
	int fds[2], status, null;
	pid_t pid;
	char chunk[4096];
	ssize_t n;

	if (pipe(fds) != 0)
		return -1;
	fflush(NULL);
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[1], 1);
		if ((null = open("/dev/null", O_WRONLY)) >= 0)
			dup2(null, 2);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], chunk, sizeof chunk)) > 0 ||
	    (n < 0 && errno == EINTR))
		if (n > 0)
			wp_buf_put(out, chunk, (size_t)n);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Languages written with CJK characters, which the default fonts of a
 * bare Debian lack. */
static int
needs_cjk_font(const char *lang)
{
	return strncmp(lang, "ja", 2) == 0 || strncmp(lang, "zh", 2) == 0 ||
	    strncmp(lang, "ko", 2) == 0;
}

static int
has_font_for(const char *lang)
{
	char *arg = xasprintf(":lang=%s", lang);
	char *argv[] = {"fc-list", arg, "family", NULL};
	wp_buf out = WP_BUF_INIT;
	int ok = run_capture(argv, &out) == 0 && out.len > 0;

	wp_buf_free(&out);
	free(arg);
	return ok;
}

/*
 * The interpreter the weasyprint command runs with, from its first line
 * ("#!/usr/bin/python3", or "#!/usr/bin/env python3"): malloc'd, or NULL
 * when there is no weasyprint command or it starts with no "#!".
 */
static char *
weasyprint_python(void)
{
	char *weasy = find_command("weasyprint"), line[256], *p, *end;
	char *python = NULL;
	FILE *f;

	if (weasy == NULL || (f = fopen(weasy, "r")) == NULL) {
		free(weasy);
		return NULL;
	}
	if (fgets(line, sizeof line, f) && strncmp(line, "#!", 2) == 0) {
		for (p = line + 2; *p == ' ' || *p == '\t'; p++)
			;
		for (end = p; *end && !strchr(" \t\r\n", *end); end++)
			;
		if (end - p >= 4 && strncmp(end - 4, "/env", 4) == 0)
			for (p = end; *p == ' ' || *p == '\t'; p++)
				;
		for (end = p; *end && !strchr(" \t\r\n", *end); end++)
			;
		if (end > p)
			python = xstrndup(p, (size_t)(end - p));
	}
	fclose(f);
	free(weasy);
	return python;
}

int
wp_pdf_check_tools(const char *who, const char *const *langs)
{
	char *weasy = weasyprint_python();
	size_t i;

	if (weasy == NULL) {
		fprintf(stderr, "%s: PDFs are made by WeasyPrint, and the "
		    "weasyprint command is not installed; run as root:\n"
		    "  apt-get install -y weasyprint fonts-noto-cjk\n", who);
		return -1;
	}
	free(weasy);
	for (i = 0; langs && langs[i]; i++) {
		if (!needs_cjk_font(langs[i]) || has_font_for(langs[i]))
			continue;
		fprintf(stderr, "%s: no font for the '%s' editions' PDFs "
		    "(fc-list :lang=%s finds none); run as root:\n"
		    "  apt-get install -y fonts-noto-cjk\n", who, langs[i],
		    langs[i]);
		return -1;
	}
	return 0;
}

char *
wp_pdf_file_part(const char *version)
{
	char *v = xstrdup(version ? version : "0"), *p;

	for (p = v; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '-'))
			*p = '-';
	return v;
}

char *
wp_pdf_name_of(const char *id, const char *lang, const char *version)
{
	char *v = wp_pdf_file_part(version);
	char *name = xasprintf("%s-%s-%s.pdf", id, lang, v);

	free(v);
	return name;
}

char *
wp_pdf_name(const wp_service *svc, const char *lang)
{
	const wp_revision *cur = wp_service_current(svc);

	return wp_pdf_name_of(svc->id, lang, cur ? cur->version : NULL);
}

char *
wp_pdf_print_name(const char *pdf)
{
	return xasprintf(".print-%s.html", pdf);
}

char *
wp_pdf_revision_epoch(const wp_revision *r)
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	struct tm tm;

	if (env && *env)
		return xstrdup(env);
	memset(&tm, 0, sizeof tm);
	if (r && r->date && sscanf(r->date, "%d-%d-%d", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday) == 3) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		return xasprintf("%lld", (long long)timegm(&tm));
	}
	return xstrdup("0");
}

char *
wp_pdf_epoch(const wp_service *svc)
{
	return wp_pdf_revision_epoch(wp_service_current(svc));
}

/* The last non-empty line of a log file, malloc'd ("" when none). */
static char *
last_line(const char *path)
{
	char *text = wp_read_own_file(path, NULL), *end, *start, *line;

	if (text == NULL)
		return xstrdup("");
	end = text + strlen(text);
	while (end > text && (end[-1] == '\n' || end[-1] == '\r' ||
	    end[-1] == ' '))
		end--;
	for (start = end; start > text && start[-1] != '\n'; start--)
		;
	line = xstrndup(start, (size_t)(end - start));
	free(text);
	return line;
}

/* Starts WeasyPrint on one job (python -I: no PYTHON* variables, no
 * user site); its messages go to PDF.log. */
static pid_t
spawn(const wp_pdf_job *j, const char *python)
{
	char *log = xasprintf("%s.log", j->pdf);
	size_t nroots = 0, k = 0, i;
	char **argv;
	pid_t pid;
	int fd;

	while (j->roots && j->roots[nroots])
		nroots++;
	argv = xcalloc(nroots + 8, sizeof *argv);
	argv[k++] = (char *)python;
	argv[k++] = "-I";
	argv[k++] = "-c";
	argv[k++] = (char *)fetch_script;
	argv[k++] = j->html;
	argv[k++] = j->pdf;
	for (i = 0; i < nroots; i++)
		argv[k++] = j->roots[i];
	fflush(NULL);
	if ((pid = fork()) == 0) {
		if ((fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0)
			dup2(fd, 2);
		if (j->epoch)
			setenv("SOURCE_DATE_EPOCH", j->epoch, 1);
		execvp(argv[0], argv);
		fprintf(stderr, "cannot run %s for weasyprint: %s\n", python,
		    strerror(errno));
		_exit(127);
	}
	free(argv);
	free(log);
	return pid;
}

/* What a finished job says: 0, or -1 with a diagnostic. */
static int
finish(const wp_pdf_job *j, pid_t pid, int status, wp_diags *d)
{
	char *log = xasprintf("%s.log", j->pdf);
	char *msg;
	int rc = 0;

	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    !wp_is_file(j->pdf)) {
		msg = pid < 0 ? xstrdup(strerror(errno)) : last_line(log);
		wp_diag_add(d, WP_ERROR, j->pdf, 0, 0, "pdf-error",
		    "WeasyPrint could not make the PDF%s%s", *msg ? ": " : "",
		    msg);
		free(msg);
		unlink(j->pdf);
		rc = -1;
	}
	unlink(log);
	free(log);
	return rc;
}

int
wp_pdf_render_all(const wp_pdf_job *jobs, size_t n, int parallel,
    wp_diags *d)
{
	pid_t *pids = xcalloc(n + 1, sizeof *pids), pid;
	char *python = weasyprint_python();
	size_t next = 0, running = 0, i;
	int status, rc = 0;

	if (parallel < 1)
		parallel = 1;
	while (next < n || running > 0) {
		while (running < (size_t)parallel && next < n) {
			errno = ENOENT;
			pids[next] = python ? spawn(&jobs[next], python) :
			    -1;
			if (pids[next] < 0) {
				if (finish(&jobs[next], -1, 0, d) != 0)
					rc = -1;
			} else {
				running++;
			}
			next++;
		}
		if (running == 0)
			break;
		pid = waitpid(-1, &status, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		for (i = 0; i < next; i++) {
			if (pids[i] != pid)
				continue;
			pids[i] = 0;
			running--;
			if (finish(&jobs[i], pid, status, d) != 0)
				rc = -1;
			break;
		}
	}
	free(pids);
	free(python);
	return rc;
}
