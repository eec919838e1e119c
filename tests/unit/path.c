/*
 * path.c: unit tests of the path policy's reads by name in a directory
 * (wp_dir_open, wp_dir_open_at, wp_read_file_at) and of the write of a
 * new file into a build's own directory (wp_write_new_file): what they
 * refuse is what the policy refuses by path.  Run under ASan.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "path.h"
#include "util.h"

static char root[] = "/tmp/wpgen-path-XXXXXX";

static char *
at(const char *rel)
{
	return wp_path_join(root, rel);
}

static void
put(const char *rel, const char *text)
{
	char *p = at(rel);
	FILE *f = fopen(p, "w");

	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(p);
}

static void
link_to(const char *target, const char *rel)
{
	char *p = at(rel);

	CHECK(symlink(target, p) == 0);
	free(p);
}

/* A tree allowed (tree/), a file outside it (out.md), links in it to a
 * file inside and to one outside, a subdirectory and a link to a
 * directory outside. */
static void
make_tree(void)
{
	char *p;

	CHECK(mkdtemp(root) != NULL);
	p = at("tree");
	CHECK(mkdir(p, 0777) == 0);
	free(p);
	p = at("tree/ja");
	CHECK(mkdir(p, 0777) == 0);
	free(p);
	p = at("outside");
	CHECK(mkdir(p, 0777) == 0);
	free(p);
	put("tree/ja/01.md", "# One\n");
	put("out.md", "secret\n");
	put("outside/02.md", "secret too\n");
	link_to("01.md", "tree/ja/in-link.md");
	link_to("../../out.md", "tree/ja/out-link.md");
	link_to("../outside", "tree/linked");
	p = at("tree/ja/fifo.md");
	CHECK(mkfifo(p, 0666) == 0);
	free(p);
}

static void
read_by_name(void)
{
	char *tree = at("tree"), *out = at("outside"), *text;
	size_t len = 0;
	int d, ja, e;

	wp_path_allow_tree(tree);
	d = wp_dir_open(tree);
	CHECK(d >= 0);
	ja = wp_dir_open_at(d, "ja");
	CHECK(ja >= 0);
	text = wp_read_file_at(ja, "01.md", WP_READ_MAX, &len);
	CHECK_STR(text, "# One\n");
	CHECK_INT((long long)len, 6);
	free(text);
	/* a symbolic link, even one to a file inside: refused here (ELOOP),
	 * read by its path through the policy instead */
	errno = 0;
	CHECK(wp_read_file_at(ja, "in-link.md", WP_READ_MAX, &len) == NULL);
	CHECK_INT(errno, ELOOP);
	errno = 0;
	CHECK(wp_read_file_at(ja, "out-link.md", WP_READ_MAX, &len) == NULL);
	CHECK_INT(errno, ELOOP);
	/* a FIFO: refused, never waited on */
	CHECK(wp_read_file_at(ja, "fifo.md", WP_READ_MAX, &len) == NULL);
	CHECK_INT(errno, WP_E_NOTFILE);
	/* a directory, a file over the limit */
	CHECK(wp_read_file_at(d, "ja", WP_READ_MAX, &len) == NULL);
	CHECK_INT(errno, EISDIR);
	CHECK(wp_read_file_at(ja, "01.md", 5, &len) == NULL);
	CHECK_INT(errno, WP_E_TOOLARGE);
	/* names that leave the directory */
	CHECK(wp_read_file_at(ja, "../ja/01.md", WP_READ_MAX, &len) == NULL);
	CHECK_INT(errno, EINVAL);
	CHECK(wp_dir_open_at(ja, "..") < 0);
	CHECK_INT(errno, EINVAL);
	/* a symbolic link to a directory outside, opened in its parent:
	 * refused; opened by its path: outside the trees */
	CHECK(wp_dir_open_at(d, "linked") < 0);
	CHECK(errno == ENOTDIR || errno == ELOOP);
	text = wp_path_join(tree, "linked");
	e = wp_dir_open(text);
	CHECK(e < 0);
	CHECK_INT(errno, WP_E_OUTSIDE);
	free(text);
	CHECK(wp_dir_open(out) < 0);
	CHECK_INT(errno, WP_E_OUTSIDE);
	/* by path (the policy's cache of directories resolved): a file of
	 * a directory inside, read after one of its parent; one through
	 * the linked directory, outside; a link to a file inside */
	text = wp_path_join(tree, "ja/01.md");
	CHECK(wp_path_allowed(tree) && wp_path_allowed(text));
	free(text);
	text = wp_path_join(tree, "linked/02.md");
	errno = 0;
	CHECK(wp_read_file(text, &len) == NULL);
	CHECK_INT(errno, WP_E_OUTSIDE);
	free(text);
	text = wp_path_join(tree, "ja/in-link.md");
	free(wp_read_file(text, &len));
	CHECK_INT((long long)len, 6);
	free(text);
	close(ja);
	close(d);
	wp_path_forget_trees();
	free(tree);
	free(out);
}

static void
write_new(void)
{
	char *p = at("new.html"), *q = at("tree/ja/01.md"), *l = at("w-link");
	char *text;
	struct stat st, again;
	size_t len;

	CHECK(wp_write_new_file(p, "<p>1</p>", 8, &st) == 0);
	CHECK(lstat(p, &again) == 0);
	CHECK(st.st_ino == again.st_ino && st.st_size == 8 &&
	    st.st_mtim.tv_nsec == again.st_mtim.tv_nsec &&
	    st.st_ctim.tv_sec == again.st_ctim.tv_sec);
	/* there already: refused, left as it was */
	errno = 0;
	CHECK(wp_write_new_file(p, "x", 1, NULL) != 0);
	CHECK_INT(errno, EEXIST);
	text = wp_read_file(p, &len);
	CHECK_STR(text, "<p>1</p>");
	free(text);
	/* a symbolic link: not followed, its target untouched */
	CHECK(symlink(q, l) == 0);
	errno = 0;
	CHECK(wp_write_new_file(l, "x", 1, NULL) != 0);
	CHECK_INT(errno, EEXIST);
	text = wp_read_file(q, &len);
	CHECK_STR(text, "# One\n");
	free(text);
	free(p);
	free(q);
	free(l);
}

int
main(void)
{
	char cmd[64];

	make_tree();
	TEST_RUN(read_by_name);
	TEST_RUN(write_new);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd) != 0)
		return 1;
	return test_exit_status();
}
