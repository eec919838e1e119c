ln -s "$TEMPLATES" templates
$WPGEN build --content content --templates templates --out out 2>build.txt; echo "exit $?" >>build.txt
$WPGEN build --content content --templates templates --out out-jobs2 --jobs 2 2>build-jobs2.txt; echo "exit $?" >>build-jobs2.txt
$WPGEN check --content content --templates templates 2>check.txt; echo "exit $?" >>check.txt
$WPGEN check --content content --templates templates --format json
