# bench/corpus.sh: the benchmark corpora, sourced by bench/build.sh and
# bench/compare.sh (not run on its own).  Needs WPGEN (the program, an
# absolute path), TMP (a scratch directory) and the repository as the
# working directory.
#
#   make_corpus KIND N DIR
#
# writes N services x 2 languages (ja, en) into DIR, with
# content/catalogs, and accepts every service's English translation again
# so that the corpus checks clean (`check` then measures the work, not the
# printing of warnings).  KIND is
#
#   controls  the corpus the build engine issue was measured on: every
#             edition answers each of the 121 controls of ISO/IEC
#             27017:2015 in a section of its own, in catalog order (the
#             idcf style), about 140 kB of Markdown a language, 56 MB for
#             N = 200 (bench/controls.py writes it);
#   samples   the sample services content/aozora-o, minato-27017 and
#             kirishima-vm copied in turn and varied by sed: about 17 kB of
#             Markdown an edition, 6.9 MB for N = 200 (what the results
#             before the fifth session of issue 10 were measured on).

CORPUS_KINDS="controls samples"

# corpus_kind KIND: fails with a message unless KIND is one of them.
corpus_kind() {
	case " $CORPUS_KINDS " in
	*" $1 "*) ;;
	*) echo "bench: no corpus kind '$1' (one of: $CORPUS_KINDS)" >&2; return 2 ;;
	esac
}

make_corpus() {
	corpus_kind "$1" || exit 2
	mkdir -p "$3"
	cp -R content/catalogs "$3/catalogs"
	case $1 in
	controls)
		command -v python3 >/dev/null ||
		    { echo "bench: python3 is needed for the controls corpus" >&2; exit 2; }
		python3 bench/controls.py . "$2" "$3" ;;
	samples) copy_samples "$2" "$3" ;;
	esac
	for svc in "$3"/svc*; do
		"$WPGEN" translations accept "$(basename "$svc")" --content "$3" \
		    --lang en --all >/dev/null 2>"$TMP/accept.log" || {
			echo "bench: wpgen translations accept $svc failed:" >&2
			cat "$TMP/accept.log" >&2
			exit 3
		}
	done
}

# copy_samples N DIR: the samples in turn, 1 aozora-o, 2 minato-27017,
# 3 kirishima-vm...  The names of the providers and services get the
# number, in the text and in service.yaml; every 2nd service says 12 hours
# where the sample says 24; every service gets a closing paragraph of its
# own in each language.
copy_samples() {
	i=1
	while [ "$i" -le "$1" ]; do
		k=$(( (i - 1) % 3 + 1 ))
		sample=$(echo aozora-o minato-27017 kirishima-vm | cut -d' ' -f"$k")
		tag=$(printf '%04d' "$i")
		svc="$2/svc$tag-$sample"
		cp -R "content/$sample" "$svc"
		find "$svc" -name '*.md' -o -name service.yaml | while read -r f; do
			sed -e "s/Aozora/Aozora $tag/g" \
			    -e "s/Minato/Minato $tag/g" \
			    -e "s/Kirishima/Kirishima $tag/g" "$f" >"$f.new"
			if [ $((i % 2)) = 0 ]; then
				sed -e 's/24 時間/12 時間/g' -e 's/24 hours/12 hours/g' \
				    "$f.new" >"$f"
				rm -f "$f.new"
			else
				mv "$f.new" "$f"
			fi
		done
		printf '\n本書はベンチマーク用コーパスの %s 番目のサービスです。\n' \
		    "$tag" >>"$(ls "$svc/ja/"*.md | tail -n 1)"
		printf '\nThis is service %s of the benchmark corpus.\n' \
		    "$tag" >>"$(ls "$svc/en/"*.md | tail -n 1)"
		i=$((i + 1))
	done
}
