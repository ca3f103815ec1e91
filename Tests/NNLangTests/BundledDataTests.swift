import Foundation
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

    /// The committed Swift files are exactly what the script makes of the committed CSV files,
    /// so neither can change without the other.
    @Test func generatedFilesAreTheScriptsOutputFromData() throws {
        let generated = PackageFiles.url("Sources/NNData/Generated")
        let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("nn-bundled-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: fresh, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: fresh) }

        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        script.arguments = ["bash", PackageFiles.url("scripts/generate-bundled-data.sh").path, fresh.path]
        script.standardOutput = FileHandle.nullDevice
        try script.run()
        script.waitUntilExit()
        #expect(script.terminationStatus == 0)

        let names = try FileManager.default.contentsOfDirectory(atPath: generated.path).sorted()
        #expect(names == ["BundledDigits.swift", "BundledIris.swift"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: fresh.path).sorted() == names)
        for name in names {
            let committed = try Data(contentsOf: generated.appendingPathComponent(name))
            let regenerated = try Data(contentsOf: fresh.appendingPathComponent(name))
            #expect(committed == regenerated, "\(name) differs from what scripts/generate-bundled-data.sh makes of data/")
        }
    }

    @Test func namesAndUnknownNames() {
        #expect(BundledData.names == ["iris", "digits"])
        #expect(BundledData.names.allSatisfy { BundledData.dataSet(named: $0) != nil })
        #expect(BundledData.dataSet(named: "mnist") == nil)
    }
}
