import NNData
import NNEngine

/// The data sets built into nn, so lessons work without any files.
///
/// - `iris`: 150 flowers, 4 measurements in cm (sepal_length, sepal_width, petal_length,
///   petal_width), 3 one-hot classes setosa, versicolor, virginica. R. A. Fisher (1936);
///   UCI Machine Learning Repository, Iris.
/// - `digits`: 1797 handwritten digits as 8×8 images, 64 pixel counts 0–16 (p0 … p63, row by
///   row), 10 one-hot classes "0" … "9". UCI Machine Learning Repository, Optical Recognition
///   of Handwritten Digits (test part), E. Alpaydin and C. Kaynak (1998).
///
/// Both are listed by UCI under CC BY 4.0. The CSV text is NNData's `BundledCSV`, generated from
/// the repository's `data/` folder; it is parsed only when asked for, so it costs nothing at
/// start-up.
public enum BundledData {
    public static let names = ["iris", "digits"]

    /// The built-in data set called `name`, or nil if there is none.
    public static func dataSet(named name: String) -> DataSet? {
        let result: Result<DataSet, DataFileError>
        switch name {
        case "iris": result = CSVReader.read(BundledCSV.iris, target: "species", name: "iris")
        case "digits": result = CSVReader.read(BundledCSV.digits, target: "label", targetIsClass: true, name: "digits")
        default: return nil
        }
        // The texts are fixed and tested, so failure here would be a build error, not user input.
        guard case .success(let data) = result else { preconditionFailure("bundled data set '\(name)' does not parse") }
        return data
    }
}
