# Bash completion for wpgen(1): commands, their options, and the values
# that can be known: services (directories of the content directory with
# a service.yaml), styles (directories of the templates with a
# page.mustache), languages of --lang, formats.  Installed by
# `make install` into share/bash-completion/completions/wpgen.

_wpgen_services() {
	local content=content i
	for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
		case ${COMP_WORDS[i]} in
		--content) content=${COMP_WORDS[i + 1]} ;;
		--content=*) content=${COMP_WORDS[i]#--content=} ;;
		esac
	done
	local d
	for d in "$content"/*/service.yaml; do
		[ -f "$d" ] || continue
		d=${d%/service.yaml}
		printf '%s\n' "${d##*/}"
	done
}

_wpgen_styles() {
	local templates=templates d
	[ -d "$templates" ] || templates=$(dirname "$(dirname "$(command -v wpgen 2>/dev/null || echo /x/x)")")/share/wpgen/templates
	for d in "$templates"/*/page.mustache; do
		[ -f "$d" ] || continue
		d=${d%/page.mustache}
		printf '%s\n' "${d##*/}"
	done
}

_wpgen() {
	local cur prev cmd words i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	local commands="build check outline xref diff translations new init serve mustache"

	if ((COMP_CWORD == 1)); then
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return
	fi
	cmd=${COMP_WORDS[1]}

	case $prev in
	--content | --templates | --out | --partials | --output)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	--service)
		COMPREPLY=($(compgen -W "$(_wpgen_services)" -- "$cur"))
		return ;;
	--style)
		COMPREPLY=($(compgen -W "$(_wpgen_styles)" -- "$cur"))
		return ;;
	--format)
		case $cmd in
		check | outline | translations) words="text json" ;;
		xref) words="json csv" ;;
		diff) words="html json text pdf" ;;
		esac
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return ;;
	--lang)
		COMPREPLY=($(compgen -W "ja en ja,en" -- "$cur"))
		return ;;
	--port | --bind | --jobs | --title | --from | --to | --context)
		return ;;
	esac

	case $cmd in
	build) words="--content --templates --out --service --lang --jobs --pdf --quiet --help" ;;
	check) words="--content --templates --service --lang --jobs --format --strict --errors-only --help" ;;
	outline) words="--content --lang --format --help" ;;
	xref) words="--content --lang --format --bom --columns --help" ;;
	diff) words="--content --templates --format --output --context --from --to --lang --help" ;;
	translations)
		if ((COMP_CWORD == 2)); then
			COMPREPLY=($(compgen -W "status accept diff --help" -- "$cur"))
			return
		fi
		words="--content --lang --format --all --help" ;;
	new) words="--style --lang --title --content --templates --help" ;;
	init) words="--help" ;;
	serve) words="--port --bind --content --templates --out --service --lang --jobs --pdf --quiet --help" ;;
	mustache) words="--partials --help" ;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi
	case $cmd in
	outline | xref | diff | translations)
		# The first operand is a service.
		local n=0
		for ((i = 2; i < COMP_CWORD; i++)); do
			[[ ${COMP_WORDS[i]} == -* ]] && continue
			[[ ${COMP_WORDS[i - 1]} == --@(content|templates|out|lang|format|output|from|to|context|service|style|title|port|bind|jobs) ]] && continue
			[[ $cmd == translations && $i == 2 ]] && continue
			n=$((n + 1))
		done
		if ((n == 0)); then
			COMPREPLY=($(compgen -W "$(_wpgen_services)" -- "$cur"))
		elif [[ $cmd == diff ]]; then
			COMPREPLY=($(compgen -f -- "$cur"))
		fi ;;
	init) COMPREPLY=($(compgen -d -- "$cur")) ;;
	mustache) COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}
complete -F _wpgen wpgen
