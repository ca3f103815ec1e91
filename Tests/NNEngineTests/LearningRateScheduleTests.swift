import Testing
import NNEngine

@Suite("Learning-rate schedules")
struct LearningRateScheduleTests {
    struct Case: Sendable, CustomStringConvertible {
        var schedule: LearningRateSchedule
        var initialRate: Double
        /// The monitored loss at the end of each epoch; only plateau looks at it.
        var losses: [Double]
        /// The rate of epochs 0, 1, 2, …: one more than there are losses.
        var rates: [Double]
        var description: String { "\(schedule)" }
    }

    static let flat = Array(repeating: 1.0, count: 6)

    /// Sequences worked out by hand from PyTorch's formulas.
    static let cases: [Case] = [
        Case(schedule: .constant, initialRate: 0.1, losses: flat, rates: Array(repeating: 0.1, count: 7)),
        // StepLR(step_size=2, gamma=0.5): lr · 0.5^⌊epoch/2⌋.
        Case(schedule: .step(every: 2, gamma: 0.5), initialRate: 1, losses: flat, rates: [1, 1, 0.5, 0.5, 0.25, 0.25, 0.125]),
        Case(schedule: .step(every: 3, gamma: 0.1), initialRate: 2, losses: flat, rates: [2, 2, 2, 0.2, 0.2, 0.2, 0.02]),
        // ExponentialLR(gamma=0.5): lr · 0.5^epoch.
        Case(schedule: .exponential(gamma: 0.5), initialRate: 0.8, losses: flat, rates: [0.8, 0.4, 0.2, 0.1, 0.05, 0.025, 0.0125]),
        // CosineAnnealingLR(T_max=4, eta_min=0): (1 + cos(π e/4))/2, rising again after 4.
        Case(schedule: .cosine(period: 4, minimum: 0), initialRate: 1, losses: flat,
             rates: [1, 0.8535533905932737, 0.5, 0.14644660940672624, 0, 0.14644660940672624, 0.5]),
        // CosineAnnealingLR(T_max=2, eta_min=0.2) from 1: 0.2 + 0.8 (1 + cos(π e/2))/2.
        Case(schedule: .cosine(period: 2, minimum: 0.2), initialRate: 1, losses: flat, rates: [1, 0.6, 0.2, 0.6, 1, 0.6, 0.2]),
        // ReduceLROnPlateau(factor=0.5, patience=1, threshold=0.1, min_lr=0.3): an epoch improves only
        // below best·0.9; after two bad epochs in a row the rate halves, but never below 0.3,
        // and a change smaller than 1e-8 is skipped.
        Case(schedule: .plateau(factor: 0.5, patience: 1, threshold: 0.1, minimum: 0.3), initialRate: 1,
             losses: [1.0, 0.95, 0.95, 0.5, 0.5, 0.5, 0.5, 0.5],
             rates: [1, 1, 1, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3]),
        // patience 0: every epoch that does not improve cuts the rate.
        Case(schedule: .plateau(factor: 0.1, patience: 0, threshold: 0, minimum: 0), initialRate: 1,
             losses: [3, 2, 2, 1, 1.5],
             rates: [1, 1, 1, 0.1, 0.1, 0.01]),
    ]

    @Test(arguments: cases)
    func ratesFollowTheSchedule(_ testCase: Case) {
        #expect(testCase.rates.count == testCase.losses.count + 1)
        var scheduler = LearningRateScheduler(schedule: testCase.schedule, initialRate: testCase.initialRate)
        var rates = [scheduler.rate]
        for loss in testCase.losses {
            scheduler.endEpoch(monitoredLoss: loss)
            rates.append(scheduler.rate)
        }
        #expect(scheduler.epoch == testCase.losses.count)
        #expect(zip(rates, testCase.rates).allSatisfy { TestSupport.isClose($0, $1, relative: 1e-14, absolute: 1e-15) },
                "\(rates) ≠ \(testCase.rates)")
    }

    @Test func namesListEverySchedule() {
        #expect(LearningRateSchedule.names == ["constant", "step", "exponential", "cosine", "plateau", "cyclic", "onecycle"])
        let examples: [LearningRateSchedule] = [.constant, .step(every: 1, gamma: 0.5), .exponential(gamma: 0.9),
                                                .cosine(period: 10, minimum: 0), LearningRateSchedule.defaultPlateau,
                                                .cyclic(minimum: 0.01, every: 2), .oneCycle(epochs: 10)]
        #expect(examples.map(\.name) == LearningRateSchedule.names)
        #expect(LearningRateSchedule.defaultPlateau == .plateau(factor: 0.1, patience: 10, threshold: 1e-4, minimum: 0))
    }

    @Test(arguments: [
        (LearningRateSchedule.constant, true), (.step(every: 0, gamma: 0.5), false), (.step(every: 1, gamma: -1), false),
        (.exponential(gamma: .nan), false), (.cosine(period: 0, minimum: 0), false), (.cosine(period: 5, minimum: -1), false),
        (.plateau(factor: 1, patience: 1, threshold: 0, minimum: 0), false), (.plateau(factor: 0.5, patience: -1, threshold: 0, minimum: 0), false),
        (.plateau(factor: 0.5, patience: 0, threshold: 0, minimum: 0), true), (.exponential(gamma: 1.5), true),
    ])
    func validity(_ example: (schedule: LearningRateSchedule, isValid: Bool)) {
        #expect(example.schedule.isValid == example.isValid)
    }
}
