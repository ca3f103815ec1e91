import Foundation
import NNEngine
import Testing

/// The engine's classification report and regression scores against scikit-learn's numbers
/// for the same predictions, from `Fixtures/sklearn_metrics.json` (written by
/// `Fixtures/sklearn_metrics.py`).
@Suite("Metrics against scikit-learn")
struct MetricsFixtureTests {
    struct Scores: Decodable {
        var precision: Double
        var recall: Double
        var f1: Double
        var support: Int
    }

    struct ClassificationCase: Decodable, CustomTestStringConvertible {
        var name: String
        var classes: Int
        var actual: [Int]
        var predicted: [Int]
        var perClass: [Scores]
        var macro: Scores
        var weighted: Scores
        var accuracy: Double
        var testDescription: String { name }

        enum CodingKeys: String, CodingKey {
            case name, classes, actual, predicted, macro, weighted, accuracy
            case perClass = "per_class"
        }
    }

    struct RegressionCase: Decodable, CustomTestStringConvertible {
        var name: String
        var targets: [[Double]]
        var outputs: [[Double]]
        var r2: Double
        var mae: Double
        var mse: Double
        var rmse: Double
        var testDescription: String { name }
    }

    struct Fixture: Decodable {
        var classification: [ClassificationCase]
        var regression: [RegressionCase]
    }

    static let fixture: Fixture? = DataTestSupport.fixtureBytes("sklearn_metrics.json")
        .flatMap { try? JSONDecoder().decode(Fixture.self, from: Data($0)) }

    static let tolerance = 1e-12

    @Test func theFixtureIsReadAndHasCases() throws {
        let fixture = try #require(Self.fixture)
        #expect(fixture.classification.count >= 4)
        #expect(fixture.regression.count >= 4)
    }

    @Test(arguments: fixture?.classification ?? [])
    func classificationReportIsScikitLearns(_ example: ClassificationCase) {
        let report = Metrics.classificationReport(predicted: example.predicted, actual: example.actual, classCount: example.classes)
        #expect(report.classes.count == example.perClass.count)
        for (scores, expected) in zip(report.classes, example.perClass) { Self.check(scores, expected) }
        Self.check(report.macroAverage, example.macro)
        Self.check(report.weightedAverage, example.weighted)
        #expect(abs(report.accuracy - example.accuracy) <= Self.tolerance)
    }

    @Test(arguments: fixture?.regression ?? [])
    func regressionScoresAreScikitLearns(_ example: RegressionCase) {
        let scores = Metrics.regressionScores(outputs: Matrix(example.outputs), targets: Matrix(example.targets))
        #expect(abs(scores.r2 - example.r2) <= Self.tolerance, "R²")
        #expect(abs(scores.meanAbsoluteError - example.mae) <= Self.tolerance, "MAE")
        #expect(abs(scores.meanSquaredError - example.mse) <= Self.tolerance, "MSE")
        #expect(abs(scores.rootMeanSquaredError - example.rmse) <= Self.tolerance, "RMSE")
    }

    private static func check(_ scores: ClassificationReport.Scores, _ expected: Scores) {
        #expect(abs(scores.precision - expected.precision) <= tolerance, "precision")
        #expect(abs(scores.recall - expected.recall) <= tolerance, "recall")
        #expect(abs(scores.f1 - expected.f1) <= tolerance, "f1")
        #expect(scores.support == expected.support, "support")
    }
}
