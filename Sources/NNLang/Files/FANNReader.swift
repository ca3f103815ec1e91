import NNEngine

/// Reads the training-data format of FANN (Fast Artificial Neural Network Library), `.data`:
///
/// ```
/// 4 2 1        pairs, inputs per pair, outputs per pair
/// 0 0          the inputs of pair 1
/// 0            the outputs of pair 1
/// 0 1
/// 1
/// ...
/// ```
///
/// Values are separated by spaces or tabs; lines end in LF or CRLF; blank lines are skipped.
/// FANN says nothing about classes, so the targets are read as values to fit (`classNames`
/// empty); the caller may treat 0/1 or one-hot outputs as classes.
public enum FANNReader {
    /// The data set in `text`.
    public static func read(_ text: String, name: String = "") -> Result<DataSet, DataFileError> {
        read(lines: numberedLines(text), name: name)
    }

    /// The data set in the UTF-8 `bytes` of a `.data` file. `poll` is asked at every line: when
    /// it says stop (Ctrl-C reading a huge file), the result is a failure to throw away.
    public static func read(bytes: [UInt8], name: String = "", poll: StopPoll = .never) -> Result<DataSet, DataFileError> {
        read(lines: numberedLines(String(decoding: bytes, as: UTF8.self), poll: poll), name: name, poll: poll)
    }

    private static func read(lines: [(number: Int, words: [Substring])], name: String,
                             poll: StopPoll = .never) -> Result<DataSet, DataFileError> {
        if poll.isStopped { return .failure(.emptyFile) }
        guard let header = lines.first else { return .failure(.emptyFile) }
        let counts = header.words.compactMap { Int($0) }
        guard header.words.count == 3, counts.count == 3, counts.allSatisfy({ $0 > 0 }) else {
            return .failure(.fannHeader(line: header.number, found: header.words.joined(separator: " ")))
        }
        let (pairs, inputCount, outputCount) = (counts[0], counts[1], counts[2])
        let body = lines.dropFirst()
        guard body.count / 2 == pairs && body.count % 2 == 0 else {
            // Too few: the complete pairs; too many: a begun pair counts too.
            let found = body.count / 2 < pairs ? body.count / 2 : (body.count + 1) / 2
            return .failure(.fannPairCount(header: pairs, found: found))
        }

        var inputs: [Double] = []
        var targets: [Double] = []
        var index = body.startIndex
        while index < body.endIndex {
            if poll.shouldStop() { return .failure(.emptyFile) }
            for (expected, what) in [(inputCount, "inputs"), (outputCount, "outputs")] {
                let line = body[index]
                guard line.words.count == expected else {
                    return .failure(.fannValueCount(line: line.number, found: line.words.count, expected: expected, what: what))
                }
                for (position, word) in line.words.enumerated() {
                    guard let value = CSVReader.number(String(word)) else {
                        return .failure(.fannNotANumber(line: line.number, position: position + 1, text: String(word)))
                    }
                    if what == "inputs" { inputs.append(value) } else { targets.append(value) }
                }
                index += 1
            }
        }
        return .success(DataSet(inputs: Matrix(rows: pairs, columns: inputCount, storage: inputs),
                                targets: Matrix(rows: pairs, columns: outputCount, storage: targets),
                                name: name))
    }

    /// The non-blank lines of `text`, numbered from 1, split into words at spaces and tabs.
    ///
    /// CRLF is one `Character` in Swift, so it is matched as a separator of its own.
    private static func numberedLines(_ text: String, poll: StopPoll = .never) -> [(number: Int, words: [Substring])] {
        var result: [(number: Int, words: [Substring])] = []
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            if poll.shouldStop() { break }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if !words.isEmpty { result.append((index + 1, words)) }
        }
        return result
    }
}
