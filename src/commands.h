/*
 * commands.h: the subcommands of wpgen(1).  main.c dispatches to these;
 * each lives in cmd_<name>.c and returns the process exit status
 * (0 done, 1 content errors, 2 usage error, 3 I/O or internal failure).
 * argv[0] is the subcommand's name.
 */
#ifndef WP_COMMANDS_H
#define WP_COMMANDS_H

#define WP_EXIT_OK      0
#define WP_EXIT_CONTENT 1
#define WP_EXIT_USAGE   2
#define WP_EXIT_IO      3

#define WP_VERSION "0.1.0"

int cmd_build(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_outline(int argc, char **argv);
int cmd_xref(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_translations(int argc, char **argv);
int cmd_mustache(int argc, char **argv);
/* How the program was run, as the user typed it ("./wpgen", "wpgen"),
 * for the commands `new` and `init` tell the user to type next; set
 * by main(). */
extern const char *wp_invoked_as;
int cmd_new(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);

#endif
