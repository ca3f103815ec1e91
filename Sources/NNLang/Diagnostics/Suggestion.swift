/// "Did you mean": the closest known word by edit distance, within a threshold.
public enum Suggestion {
    /// The candidate closest to `word`, or nil when none is close enough to be a likely typo.
    ///
    /// Distance is optimal string alignment (insertions, deletions, substitutions and swaps of
    /// neighbours each cost 1), compared case-insensitively. Short words tolerate one edit,
    /// longer ones two, very long ones three: close enough for typos, far enough to avoid
    /// suggesting unrelated words.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let threshold = word.count <= 3 ? 1 : word.count <= 8 ? 2 : 3
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let distance = editDistance(word.lowercased(), candidate.lowercased())
            if distance <= threshold, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// Optimal string alignment distance between two strings.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // distances[i][j]: the distance between the first i scalars of a and the first j of b.
        var distances = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { distances[i][0] = i }
        for j in 0...b.count { distances[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var distance = min(distances[i - 1][j] + 1, distances[i][j - 1] + 1, distances[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    distance = min(distance, distances[i - 2][j - 2] + 1)
                }
                distances[i][j] = distance
            }
        }
        return distances[a.count][b.count]
    }
}
