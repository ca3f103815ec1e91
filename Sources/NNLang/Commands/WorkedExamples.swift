/// The classic worked examples `example NAME` sets up, written in nn itself.
enum WorkedExamples {
    struct Example {
        var summary: String
        var source: String
    }

    static let names = ["mazur", "xor"]

    static func named(_ name: String) -> Example? {
        switch name {
        case "mazur":
            return Example(
                summary: "Matt Mazur's \"A Step by Step Backpropagation Example\": a 2-2-2 sigmoid network, sse, one sample; try explain grad w5",
                source: """
                    input 2
                    layer 2 sigmoid
                    layer 2 sigmoid
                    loss sse
                    W1 = [[0.15, 0.20], [0.25, 0.30]]
                    b1 = 0.35
                    W2 = [[0.40, 0.45], [0.50, 0.55]]
                    b2 = 0.60
                    data x=[[0.05, 0.10]] y=[[0.01, 0.99]]
                    """)
        case "xor":
            return Example(
                summary: "XOR by a 2-2-1 sigmoid network with hand-picked weights: h1 is OR, h2 is NAND, the output their AND; try explain forward",
                source: """
                    input 2
                    layer 2 sigmoid
                    layer 1 sigmoid
                    loss sse
                    W1 = [[3.5, 3.5], [-4, -4]]
                    b1 = [-1.5, 6]
                    W2 = [[5, 5]]
                    b2 = -7.5
                    data xor
                    """)
        default:
            return nil
        }
    }
}
