import NNEngine

/// Damaged copies of a file's text, for oracle tests that read each copy with a new reader and an
/// old one and expect the same data or the same error: every cut, every byte replaced, and
/// seeded random edits. Each copy comes with how it was made, for the test's message.
enum FileDamage {
    /// The text cut to every length from 0 to all of it.
    static func eachCut(of text: String, _ body: ([UInt8], String) -> Void) {
        let bytes = Array(text.utf8)
        for count in 0...bytes.count {
            body(Array(bytes.prefix(count)), "\(text.debugDescription) cut to \(count) bytes")
        }
    }

    /// The text with one byte replaced by each of `replacements` in turn, at every position.
    static func eachReplacement(of text: String, by replacements: [UInt8], _ body: ([UInt8], String) -> Void) {
        let bytes = Array(text.utf8)
        for position in bytes.indices {
            for replacement in replacements where replacement != bytes[position] {
                var damaged = bytes
                damaged[position] = replacement
                body(damaged, "\(text.debugDescription) with byte \(position) made \(replacement)")
            }
        }
    }

    /// `rounds` copies of the texts in turn, each with one to four bytes of `alphabet` inserted,
    /// removed or written over at random places, drawn from `seed`.
    static func eachRandomEdit(of texts: [String], rounds: Int, alphabet: [UInt8], seed: UInt64,
                               _ body: ([UInt8], String) -> Void) {
        var generator = SeededGenerator(seed: seed)
        for round in 0..<rounds {
            var bytes = Array(texts[round % texts.count].utf8)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0...bytes.count, using: &generator)
                let byte = alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes.insert(byte, at: position)
                case 1 where position < bytes.count: bytes.remove(at: position)
                default: if position < bytes.count { bytes[position] = byte }
                }
            }
            body(bytes, String(decoding: bytes, as: UTF8.self).debugDescription)
        }
    }
}
