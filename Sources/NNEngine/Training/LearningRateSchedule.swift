import Foundation

/// How the learning rate changes from epoch to epoch, as PyTorch's `torch.optim.lr_scheduler` does it.
///
/// Epochs are counted from 0 here; the rate of an epoch is decided before the epoch starts.
public enum LearningRateSchedule: Equatable, Sendable {
    /// η₀ every epoch.
    case constant
    /// `StepLR(step_size=every, gamma)`: η₀ γ^⌊epoch/every⌋.
    case step(every: Int, gamma: Double)
    /// `ExponentialLR(gamma)`: η₀ γ^epoch.
    case exponential(gamma: Double)
    /// `CosineAnnealingLR(T_max=period, eta_min=minimum)`, its closed form:
    /// η_min + (η₀ − η_min)(1 + cos(π epoch/period))/2. Past `period` it rises again, as PyTorch's does.
    case cosine(period: Int, minimum: Double)
    /// `ReduceLROnPlateau(mode='min', factor, patience, threshold, threshold_mode='rel', cooldown=0, min_lr=minimum, eps=1e-8)`:
    /// the rate is multiplied by `factor` (never below `minimum`) once the monitored loss has not
    /// dropped below best·(1 − threshold) for more than `patience` epochs in a row.
    case plateau(factor: Double, patience: Int, threshold: Double, minimum: Double)

    /// The name the language uses for each schedule, in the order it lists them.
    public static let names: [String] = ["constant", "step", "exponential", "cosine", "plateau"]

    /// The name the language uses for this schedule.
    public var name: String {
        switch self {
        case .constant: "constant"
        case .step: "step"
        case .exponential: "exponential"
        case .cosine: "cosine"
        case .plateau: "plateau"
        }
    }

    /// ReduceLROnPlateau's defaults: factor 0.1, patience 10, threshold 1e-4, min_lr 0.
    public static let defaultPlateau = LearningRateSchedule.plateau(factor: 0.1, patience: 10, threshold: 1e-4, minimum: 0)

    /// Whether the constants are ones the schedule can use: positive periods, γ > 0,
    /// a plateau factor in (0, 1), patience ≥ 0, threshold and minimum ≥ 0, all finite.
    public var isValid: Bool {
        switch self {
        case .constant:
            return true
        case .step(let every, let gamma):
            return every > 0 && gamma.isFinite && gamma > 0
        case .exponential(let gamma):
            return gamma.isFinite && gamma > 0
        case .cosine(let period, let minimum):
            return period > 0 && minimum.isFinite && minimum >= 0
        case .plateau(let factor, let patience, let threshold, let minimum):
            return factor.isFinite && factor > 0 && factor < 1 && patience >= 0
                && threshold.isFinite && threshold >= 0 && minimum.isFinite && minimum >= 0
        }
    }
}

/// Follows a `LearningRateSchedule` through training, one epoch at a time.
public struct LearningRateScheduler: Sendable {
    public let schedule: LearningRateSchedule
    public let initialRate: Double
    /// The current epoch, from 0.
    public private(set) var epoch = 0
    /// The rate for the current epoch.
    public private(set) var rate: Double

    /// The plateau schedule's memory: the best loss so far and the epochs since it.
    private var best = Double.infinity
    private var badEpochs = 0

    /// A scheduler at epoch 0, whose rate is `initialRate`.
    public init(schedule: LearningRateSchedule, initialRate: Double) {
        self.schedule = schedule
        self.initialRate = initialRate
        rate = initialRate
    }

    /// Ends the current epoch and works out the next one's rate; only `plateau` looks at the loss.
    public mutating func endEpoch(monitoredLoss: Double) {
        epoch += 1
        switch schedule {
        case .constant:
            break
        case .step(let every, let gamma):
            rate = initialRate * pow(gamma, Double(epoch / max(every, 1)))
        case .exponential(let gamma):
            rate = initialRate * pow(gamma, Double(epoch))
        case .cosine(let period, let minimum):
            let progress = Double(epoch) / Double(max(period, 1))
            rate = minimum + (initialRate - minimum) * (1 + cos(Double.pi * progress)) / 2
        case .plateau(let factor, let patience, let threshold, let minimum):
            if monitoredLoss < best * (1 - threshold) {
                best = monitoredLoss
                badEpochs = 0
            } else {
                badEpochs += 1
            }
            if badEpochs > patience {
                let reduced = max(rate * factor, minimum)
                if rate - reduced > 1e-8 { rate = reduced }  // PyTorch's eps: smaller changes are skipped
                badEpochs = 0
            }
        }
    }
}
