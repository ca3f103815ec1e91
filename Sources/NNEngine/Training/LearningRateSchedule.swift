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
    /// `CyclicLR(base_lr=minimum, max_lr=η₀, step_size_up=every, mode='triangular',
    /// cycle_momentum=False)`: from `minimum` up to η₀ in `every` epochs and down again, over and over.
    case cyclic(minimum: Double, every: Int)
    /// `OneCycleLR(max_lr=η₀, total_steps=epochs)` with its defaults (pct_start 0.3, cosine
    /// annealing, div_factor 25, final_div_factor 1e4) but cycle_momentum=False: from η₀/25 up
    /// to η₀ over 30 % of the epochs, then down to η₀/(25·10⁴).
    case oneCycle(epochs: Int)

    /// The name the language uses for each schedule, in the order it lists them.
    public static let names: [String] = ["constant", "step", "exponential", "cosine", "plateau", "cyclic", "onecycle"]

    /// The name the language uses for this schedule.
    public var name: String {
        switch self {
        case .constant: "constant"
        case .step: "step"
        case .exponential: "exponential"
        case .cosine: "cosine"
        case .plateau: "plateau"
        case .cyclic: "cyclic"
        case .oneCycle: "onecycle"
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
        case .cyclic(let minimum, let every):
            return every > 0 && minimum.isFinite && minimum >= 0
        case .oneCycle(let epochs):
            return epochs > 0
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

    /// Epochs of linear warm-up before the schedule starts.
    public let warmupEpochs: Int

    /// The plateau schedule's memory: the best loss so far and the epochs since it.
    private var best = Double.infinity
    private var badEpochs = 0

    /// A scheduler at epoch 0, whose rate is `initialRate`, or with `warmupEpochs` > 0 the
    /// warm-up's first rate.
    ///
    /// The warm-up is `SequentialLR([LinearLR(start_factor=1/3, total_iters=W), schedule],
    /// milestones=[W])`: the rates of epochs 0 to W − 1 rise linearly from a third of the rate
    /// PyTorch's schedule leaves the optimizer with (η₀, or η₀/25 for onecycle) towards it; from
    /// epoch W on the schedule runs as if epoch W were its epoch 0.
    public init(schedule: LearningRateSchedule, initialRate: Double, warmupEpochs: Int = 0) {
        self.schedule = schedule
        self.initialRate = initialRate
        self.warmupEpochs = max(0, warmupEpochs)
        rate = initialRate
        rate = self.warmupEpochs > 0 ? warmupRate(0) : firstRate
    }

    /// The schedule's rate at its epoch 0: η₀ but for cyclic and onecycle, which start lower.
    private var firstRate: Double {
        switch schedule {
        case .cyclic, .oneCycle: scheduledRate(0)
        default: initialRate
        }
    }

    /// The warm-up's rate at `epoch` < W: base (1/3 + (2/3) epoch/W).
    private func warmupRate(_ epoch: Int) -> Double {
        let base = if case .oneCycle = schedule { initialRate / 25 } else { initialRate }
        return base * (1.0 / 3 + (1 - 1.0 / 3) * Double(epoch) / Double(warmupEpochs))
    }

    /// The rate of the closed-form schedules at their own epoch `epoch`.
    private func scheduledRate(_ epoch: Int) -> Double {
        switch schedule {
        case .constant, .plateau:
            return initialRate
        case .step(let every, let gamma):
            return initialRate * pow(gamma, Double(epoch / max(every, 1)))
        case .exponential(let gamma):
            return initialRate * pow(gamma, Double(epoch))
        case .cosine(let period, let minimum):
            let progress = Double(epoch) / Double(max(period, 1))
            return minimum + (initialRate - minimum) * (1 + cos(Double.pi * progress)) / 2
        case .cyclic(let minimum, let every):
            // torch's arithmetic: the position x in the current cycle, up for x ≤ ½, down after.
            let total = Double(2 * max(every, 1))
            let cycle = (1 + Double(epoch) / total).rounded(.down)
            let x = 1 + Double(epoch) / total - cycle
            let ratio = Double(max(every, 1)) / total
            let scale = x <= ratio ? x / ratio : (x - 1) / (ratio - 1)
            return minimum + (initialRate - minimum) * scale
        case .oneCycle(let epochs):
            // Two phases, each annealed by a half cosine: up to the peak, then down to the end.
            let start = initialRate / 25, end = start / 1e4
            let peakEpoch = 0.3 * Double(epochs) - 1, lastEpoch = Double(epochs) - 1
            func anneal(_ from: Double, _ to: Double, _ fraction: Double) -> Double {
                to + (from - to) / 2 * (cos(Double.pi * fraction) + 1)
            }
            let step = Double(epoch)
            return step <= peakEpoch ? anneal(start, initialRate, step / peakEpoch)
                                     : anneal(initialRate, end, (step - peakEpoch) / (lastEpoch - peakEpoch))
        }
    }

    /// Ends the current epoch and works out the next one's rate; only `plateau` looks at the loss.
    public mutating func endEpoch(monitoredLoss: Double) {
        epoch += 1
        if epoch < warmupEpochs {
            rate = warmupRate(epoch)
            return
        }
        let scheduleEpoch = epoch - warmupEpochs
        if scheduleEpoch == 0 {
            rate = firstRate
            return
        }
        switch schedule {
        case .constant:
            break
        case .cyclic, .oneCycle:
            rate = scheduledRate(scheduleEpoch)
        case .step(let every, let gamma):
            rate = initialRate * pow(gamma, Double(scheduleEpoch / max(every, 1)))
        case .exponential(let gamma):
            rate = initialRate * pow(gamma, Double(scheduleEpoch))
        case .cosine(let period, let minimum):
            let progress = Double(scheduleEpoch) / Double(max(period, 1))
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
