/*
 * xpathcheck.c: checks XPath assertions on the outputs of a regression
 * case (tests/regress/run.sh runs it; see tests/README.md).
 *
 *   xpathcheck DIR ASSERTIONS
 *
 * ASSERTIONS holds one assertion a line, three fields separated by tabs:
 *
 *   FILE	EXPRESSION	EXPECTED
 *
 * FILE is relative to DIR (an .html file is read with the HTML parser,
 * anything else as XML).  The result of EXPRESSION is written as text:
 * a node set as the string value of each node in document order, joined
 * by " | "; a string as it is; a number as XPath writes it; a boolean as
 * true or false.  Runs of white space become one space, with none at
 * either end.  That text must equal EXPECTED exactly.  Blank lines and
 * lines starting with '#' are skipped.  Every failed assertion is
 * printed; the exit status is 1 when one failed, 2 on a usage or file
 * error, else 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

/* Collapses runs of white space in s (in place) to one space and trims
 * both ends. */
static void normalize_space(char *s)
{
	char *w = s;
	int space = 0;

	for (char *r = s; *r; r++) {
		if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
			space = 1;
			continue;
		}
		if (space && w != s)
			*w++ = ' ';
		space = 0;
		*w++ = *r;
	}
	*w = '\0';
}

/* Appends s to the growing string *out (of length *len). */
static void append(char **out, size_t *len, const char *s)
{
	size_t n = strlen(s);
	char *grown = realloc(*out, *len + n + 1);

	if (grown == NULL) {
		perror("xpathcheck");
		exit(2);
	}
	memcpy(grown + *len, s, n + 1);
	*out = grown;
	*len += n;
}

/* The text of an XPath result, as described at the head of the file. */
static char *result_text(xmlXPathObjectPtr obj)
{
	char *out = NULL;
	size_t len = 0;

	append(&out, &len, "");
	if (obj->type == XPATH_NODESET) {
		xmlNodeSetPtr set = obj->nodesetval;
		int n = set ? set->nodeNr : 0;

		for (int i = 0; i < n; i++) {
			xmlChar *s = xmlXPathCastNodeToString(set->nodeTab[i]);
			char *t = strdup((const char *)s);

			xmlFree(s);
			normalize_space(t);
			if (i > 0)
				append(&out, &len, " | ");
			append(&out, &len, t);
			free(t);
		}
		return out;
	}
	xmlChar *s = xmlXPathCastToString(obj);
	append(&out, &len, (const char *)s);
	xmlFree(s);
	normalize_space(out);
	return out;
}

static xmlDocPtr read_doc(const char *dir, const char *file)
{
	char path[4096];
	size_t n = strlen(file);

	snprintf(path, sizeof path, "%s/%s", dir, file);
	if (n > 5 && strcmp(file + n - 5, ".html") == 0)
		return htmlReadFile(path, "UTF-8", HTML_PARSE_NOERROR |
		    HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	return xmlReadFile(path, NULL, XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING | XML_PARSE_NONET);
}

/* Checks one assertion; prints and returns 1 when it fails. */
static int check_line(const char *dir, const char *where, char *line,
    xmlDocPtr *doc, char **doc_file)
{
	char *expr = strchr(line, '\t');
	char *want = expr ? strchr(expr + 1, '\t') : NULL;

	if (want == NULL) {
		printf("%s: not FILE<TAB>EXPRESSION<TAB>EXPECTED\n", where);
		return 1;
	}
	*expr++ = '\0';
	*want++ = '\0';
	if (*doc_file == NULL || strcmp(*doc_file, line) != 0) {
		xmlFreeDoc(*doc);
		free(*doc_file);
		*doc = read_doc(dir, line);
		*doc_file = strdup(line);
	}
	if (*doc == NULL) {
		printf("%s: %s: cannot be read or parsed\n", where, line);
		return 1;
	}
	xmlXPathContextPtr ctx = xmlXPathNewContext(*doc);
	xmlXPathObjectPtr obj = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	int failed = 1;

	if (obj == NULL) {
		printf("%s: %s: bad expression %s\n", where, line, expr);
	} else {
		char *got = result_text(obj);

		failed = strcmp(got, want) != 0;
		if (failed)
			printf("%s: %s: %s\n  want: %s\n  got:  %s\n", where,
			    line, expr, want, got);
		free(got);
	}
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	return failed;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: xpathcheck DIR ASSERTIONS\n");
		return 2;
	}
	FILE *f = fopen(argv[2], "r");
	if (f == NULL) {
		perror(argv[2]);
		return 2;
	}
	xmlDocPtr doc = NULL;
	char *doc_file = NULL, *line = NULL, where[4200];
	size_t cap = 0;
	ssize_t n;
	int lineno = 0, failed = 0;

	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		snprintf(where, sizeof where, "%s:%d", argv[2], lineno);
		failed |= check_line(argv[1], where, line, &doc, &doc_file);
	}
	free(line);
	free(doc_file);
	xmlFreeDoc(doc);
	fclose(f);
	xmlCleanupParser();
	return failed;
}
