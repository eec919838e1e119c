/*
 * lock.c: libFuzzer target for the translations.lock parser
 * (wp_lock_parse in src/translate.c).
 *
 * The input is the text of a lock.  When it parses, every entry is looked
 * up again, one is replaced and one added (which re-sorts the lock).
 * Diagnostics are expected; crashes, leaks and hangs are not.
 */
#include <stdint.h>
#include <stdlib.h>

#include "diag.h"
#include "translate.h"
#include "util.h"

static void
exercise(wp_lock *lock)
{
	size_t i, n = lock->len;
	char *lang, *key;

	for (i = 0; i < n; i++) {
		wp_lock_get(lock, lock->items[i].lang, lock->items[i].key);
		wp_lock_get_translation(lock, lock->items[i].lang,
		    lock->items[i].key);
	}
	if (n > 0) {
		lang = xstrdup(lock->items[0].lang);
		key = xstrdup(lock->items[0].key);
		wp_lock_set(lock, lang, key, "0123456789abcdef", NULL);
		free(lang);
		free(key);
	}
	wp_lock_set(lock, "en", "fuzz", "fedcba9876543210",
	    "0011223344556677");
	wp_lock_get(lock, "en", "fuzz");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wp_lock *lock;
	wp_diags d;

	wp_diags_init(&d);
	lock = wp_lock_parse("fuzz/translations.lock", (const char *)data,
	    size, &d);
	if (lock) {
		exercise(lock);
		wp_lock_free(lock);
	}
	wp_diags_free(&d);
	return 0;
}
