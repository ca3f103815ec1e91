import Testing
import NNEngine
@testable import NNLang

/// The CSV reader that reads numbers from the bytes against the one that made a `String` per
/// field (`LegacyCSVReader`, kept as the oracle): the same data set or the same error, for
/// files and for every damaged copy of them (cut at every byte, each byte replaced, random
/// damage), under every reading (target by name, position or last; class targets; fixed class
/// names; no header; `;` and tab separators; `predict`'s matrix reading).
@Suite("CSV reader against the old reader")
struct CSVReaderOracleTests {
    static let files: [String] = [
        "a,b,y\n1,2.5,x\n-3e2,.5,y\n4,5,x\n",
        "\u{FEFF}a, b ,y\r\n1 , 2,0\r\n\r\n3,\"4\",1\r\n",
        "x1,x2,label\n0.12345678901234567,-1.5e-300,3\n1e308,2.2250738585072014e-308,10\n\n# not a comment\n",
        "p,\"q, r\",y\n\"1\",\"2\"\"\",\"a\nb\"\n5,6,\"c\"\n",
        "a;b;y\n1;NA;0\n3;4;nan\n5;inf;1\n",
        "a\tb\ty\n 1 \t2\t0\n3\t\t1\n",
        "1,2,0\n3,4,1\n5,6,1\n",
        "a,b,y\n1,2\n3,4,5,6\n",
        "a,a,y\n1,2,3\n",
        "h,y\n0x10,1\n1_0,2\n+5,-0\n00012,3.0\n9007199254740993,12345678901234567890123\n",
        "a,b,y\n1,2,3\r4,5,6\r\"7\" ,8 , 9\n\"x\"y,1,2\n",
        "a,b,y\n1,2,\"unterminated\n",
        "y\n1\n2\n",
    ]

    /// The last separator can be part of a number, so the scanner cannot read numbers on the way.
    static let dialects = [CSVDialect(), CSVDialect(hasHeader: false), CSVDialect(separator: UInt8(ascii: ";")),
                           CSVDialect(separator: UInt8(ascii: "\t")), CSVDialect(separator: UInt8(ascii: "e"))]

    /// Every reading of `bytes`, by both readers; a description of the first difference, or nil.
    static func difference(_ bytes: [UInt8]) -> String? {
        for dialect in dialects {
            let targets: [CSVReader.TargetColumn] = [.last, .position(1), .named("y"), .named("b")]
            for target in targets {
                for (isClass, classes) in [(false, nil), (true, nil), (false, ["0", "1", "x"] as [String]?)] {
                    let new = CSVReader.read(bytes: bytes, target: target, dialect: dialect, targetIsClass: isClass,
                                             classNames: classes, name: "f.csv", maxTargetNumbers: 40)
                    let old = LegacyCSVReader.read(bytes: bytes, target: target, dialect: dialect, targetIsClass: isClass,
                                                   classNames: classes, name: "f.csv", maxTargetNumbers: 40)
                    if new != old { return "\(dialect) \(target) \(isClass): \(new) against \(old)" }
                }
            }
            for selecting in [nil, ["b", "a"]] {
                let new = CSVReader.readMatrix(bytes: bytes, dialect: dialect, selecting: selecting)
                let old = LegacyCSVReader.readMatrix(bytes: bytes, dialect: dialect, selecting: selecting)
                switch (new, old) {
                case (.success(let a), .success(let b)) where a.matrix == b.matrix && a.columns == b.columns: continue
                case (.failure(let a), .failure(let b)) where a == b: continue
                default: return "matrix \(dialect): \(new) against \(old)"
                }
            }
        }
        return nil
    }

    /// Records an issue when the two readers differ on `bytes`.
    static func recordDifference(_ bytes: [UInt8], _ what: String) {
        if let difference = difference(bytes) { Issue.record("\(what): \(difference)") }
    }

    @Test func wholeFilesReadAlike() {
        for file in Self.files {
            #expect(Self.difference(Array(file.utf8)) == nil, "\(file.debugDescription)")
        }
        // and they are not all errors: the comparison sees data sets too
        #expect((try? CSVReader.read(Self.files[0], target: nil).get()) != nil)
    }

    @Test func filesCutAtEveryByteReadAlike() {
        for file in Self.files { FileDamage.eachCut(of: file, Self.recordDifference) }
    }

    @Test func everyByteReplacedReadsAlike() {
        let replacements: [UInt8] = Array(",;\t\"\n\r .e-+0x#".utf8) + [0, 0xFF, 0xC3]
        for file in Self.files.prefix(6) { FileDamage.eachReplacement(of: file, by: replacements, Self.recordDifference) }
    }

    @Test func randomDamageReadsAlike() {
        let alphabet: [UInt8] = Array("0123456789,;\t\"\n\r .eE-+naif#".utf8) + [0xEF, 0xBB, 0xBF, 0x80]
        FileDamage.eachRandomEdit(of: Self.files, rounds: 1500, alphabet: alphabet, seed: 21, Self.recordDifference)
    }

    /// A large file of full-precision random numbers, as the benchmark reads: same matrix, bit for bit.
    @Test func fullPrecisionNumbersReadAlike() throws {
        var generator = SeededGenerator(seed: 7)
        var text = (1...10).map { "x\($0)" }.joined(separator: ",") + ",y\n"
        for _ in 0..<500 {
            let row = (0..<10).map { _ in "\(Double.random(in: -4...4, using: &generator) * 1e-3)" }
            text += row.joined(separator: ",") + ",\(Int.random(in: 0...9, using: &generator))\n"
        }
        let new = try CSVReader.read(text, target: nil, targetIsClass: true).get()
        let old = try LegacyCSVReader.read(text, target: nil, targetIsClass: true).get()
        #expect(new.inputs.storage.map(\.bitPattern) == old.inputs.storage.map(\.bitPattern))
        #expect(new == old)
    }
}
