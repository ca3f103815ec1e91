import Testing
import NNEngine
@testable import NNLang

@Suite("Bundled data")
struct BundledDataTests {
    @Test func irisShapesClassesAndFirstRow() throws {
        let iris = try #require(BundledData.dataSet(named: "iris"))
        #expect(iris.inputs.rows == 150 && iris.inputs.columns == 4)
        #expect(iris.targets.rows == 150 && iris.targets.columns == 3)
        #expect(iris.classNames == ["setosa", "versicolor", "virginica"])
        #expect(iris.featureNames == ["sepal_length", "sepal_width", "petal_length", "petal_width"])
        #expect(iris.targets.columnSums() == [50, 50, 50])
        #expect(iris.inputs.row(0) == [5.1, 3.5, 1.4, 0.2])
        #expect(iris.targets.row(0) == [1, 0, 0])
        #expect(iris.inputs.row(149) == [5.9, 3.0, 5.1, 1.8])
        #expect(iris.targets.row(149) == [0, 0, 1])
        #expect(iris.name == "iris")
    }

    @Test func digitsShapesClassesAndFirstRow() throws {
        let digits = try #require(BundledData.dataSet(named: "digits"))
        #expect(digits.inputs.rows == 1797 && digits.inputs.columns == 64)
        #expect(digits.targets.rows == 1797 && digits.targets.columns == 10)
        #expect(digits.classNames == (0...9).map(String.init))
        #expect(digits.featureNames.first == "p0" && digits.featureNames.last == "p63")
        #expect(digits.targets.columnSums() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
        #expect(Array(digits.inputs.row(0).prefix(8)) == [0, 0, 5, 13, 9, 1, 0, 0])
        #expect(digits.targets.row(0) == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(digits.targets.row(1796)[8] == 1)
        #expect(digits.inputs.storage.allSatisfy { $0 >= 0 && $0 <= 16 && $0 == $0.rounded() })
    }

    @Test func namesAndUnknownNames() {
        #expect(BundledData.names == ["iris", "digits"])
        #expect(BundledData.names.allSatisfy { BundledData.dataSet(named: $0) != nil })
        #expect(BundledData.dataSet(named: "mnist") == nil)
    }
}
