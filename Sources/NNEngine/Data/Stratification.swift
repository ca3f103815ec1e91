/// Held-out parts that keep each class's share: the test part of a stratified split and the
/// folds of a stratified k-fold, as scikit-learn's `StratifiedShuffleSplit` and
/// `StratifiedKFold` intend. Numbers only: a class is any integer label of a sample.
///
/// Both start from a random `order` of the samples (a permutation the caller drew), so the
/// same seed gives the same parts, and take each class's samples in that order.
public enum Stratification {
    /// How many of each class's `counts` samples a part of `total` samples takes: ⌊count·total/n⌋
    /// each, then one more for the classes with the largest remainders (the first on a tie)
    /// until the part has `total`, so the shares are as even as whole samples allow.
    public static func allocation(of total: Int, among counts: [Int]) -> [Int] {
        let sampleCount = counts.reduce(0, +)
        precondition(total >= 0 && total <= sampleCount, "a part of \(total) of \(sampleCount) samples")
        guard sampleCount > 0 else { return counts.map { _ in 0 } }
        var taken = counts.map { $0 * total / sampleCount }
        let remainders = counts.indices.map { counts[$0] * total - taken[$0] * sampleCount }
        let byRemainder = counts.indices.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }
        var missing = total - taken.reduce(0, +)
        for index in byRemainder where missing > 0 && taken[index] < counts[index] {
            taken[index] += 1
            missing -= 1
        }
        return taken
    }

    /// The samples of a stratified test part of `testCount`: of each class, the first of its
    /// samples in `order`, as many as `allocation` gives it. Sorted.
    /// `classes[i]` is the class of sample i; `order` a permutation of its indices.
    public static func testPart(order: [Int], classes: [Int], testCount: Int) -> [Int] {
        precondition(order.count == classes.count, "an order of \(order.count) samples for \(classes.count) classes")
        let groups = grouped(order: order, classes: classes)
        let taken = allocation(of: testCount, among: groups.map(\.count))
        return zip(groups, taken).flatMap { group, count in group.prefix(count) }.sorted()
    }

    /// `k` folds that together hold every sample once, sorted within each: each class's samples,
    /// in `order`, dealt to the folds in turn, one class after another, so each fold has
    /// ⌊n_c/k⌋ or ⌈n_c/k⌉ of class c and the folds' sizes differ by at most one. With every
    /// sample of one class (regression) they are plain shuffled folds.
    public static func folds(order: [Int], classes: [Int], k: Int) -> [[Int]] {
        precondition(order.count == classes.count, "an order of \(order.count) samples for \(classes.count) classes")
        precondition(k >= 1 && k <= order.count, "\(k) folds of \(order.count) samples")
        var folds = Array(repeating: [Int](), count: k)
        for (position, sample) in grouped(order: order, classes: classes).joined().enumerated() {
            folds[position % k].append(sample)
        }
        return folds.map { $0.sorted() }
    }

    /// The samples of each class, classes in increasing order, each in `order`.
    private static func grouped(order: [Int], classes: [Int]) -> [[Int]] {
        var byClass: [Int: [Int]] = [:]
        for sample in order { byClass[classes[sample], default: []].append(sample) }
        return byClass.keys.sorted().map { byClass[$0] ?? [] }
    }
}
