/// The CSV text of nn's built-in data sets, iris and digits, compiled in so lessons work
/// without any files.
///
/// The texts are in `Generated/`, written by `scripts/generate-bundled-data.sh` from the
/// repository's `data/` folder, which says where they come from and under which licence.
/// NNLang's `BundledData` parses them when asked.
public enum BundledCSV {}
