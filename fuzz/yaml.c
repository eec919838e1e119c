/*
 * yaml.c: libFuzzer target for the YAML loader (src/yamlvalue.c) and the
 * service.yaml schema (src/content.c).
 *
 * The input is one YAML (or JSON) document.  It is loaded into a value
 * tree, which is copied and written as JSON (src/value.c), and then read
 * again as a service's service.yaml (wp_service_parse), whose strict
 * schema checks every key.  Errors are expected; crashes, leaks and hangs
 * are not.
 */
#include <stdint.h>
#include <stdlib.h>

#include "buf.h"
#include "content.h"
#include "diag.h"
#include "value.h"
#include "yamlvalue.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	wp_buf json = WP_BUF_INIT;
	wp_value *v, *copy;
	wp_service *svc;
	wp_diags d;

	wp_diags_init(&d);
	v = wp_yaml_load("fuzz.yaml", text, size, &d);
	if (v) {
		copy = wp_value_copy(v);
		wp_value_write_json(copy, &json);
		wp_value_free(copy);
		wp_value_free(v);
	}
	wp_buf_free(&json);
	svc = wp_service_parse("content", "fuzz", "fuzz/service.yaml", text,
	    size, &d);
	if (svc) {
		wp_service_current(svc);
		wp_service_has_lang(svc, "en");
		wp_service_free(svc);
	}
	wp_diags_free(&d);
	wp_keys_forget();        /* (nothing holds a key now) */
	return 0;
}
