import NNEngine
import Testing
@testable import NNLang

/// `explain`: the worked example's published figures, the explanations' final numbers against
/// backpropagation for every parameter of several networks, the notations, the matrix form,
/// the options and the errors; and `set decimals`, which prints the figures as published.
@Suite("Explain")
struct ExplainTests {
    /// What `source` prints after `setup`; both must succeed.
    static func lines(after setup: String, _ source: String) throws -> [String] {
        let (session, transcript) = try SessionTests.session(after: setup)
        let start = transcript.lines.count
        let outcome = session.run(source: source)
        try #require(outcome == .completed, "\(source): \(outcome)")
        return Array(transcript.lines[start...])
    }

    static let mazurAt9 = mazurProgram + "\nset decimals 9"

    // MARK: - The worked example's figures

    /// Lines the walk-through publishes (to its 9 decimals), each where `explain` writes it.
    static let mazurFigureCases: [(source: String, line: String)] = [
        ("explain grad w5", "∂E/∂w5 = 0.74136507 × 0.186815602 × 0.593269992 = 0.082167041"),
        ("explain grad w5", "  ∂E/∂out_o1      = out_o1 - target_o1 = 0.75136507 - 0.01 = 0.74136507"),
        ("explain grad w5", "  ∂out_o1/∂net_o1 = out_o1 (1 - out_o1) = 0.75136507 × (1 - 0.75136507) = 0.186815602"),
        ("explain grad w5", "  ∂net_o1/∂w5     = out_h1 = 0.593269992"),
        ("explain grad w1", "∂E/∂w1 = 0.036350306 × 0.241300709 × 0.05 = 0.000438568"),
        ("explain grad w1", "    ∂E_o1/∂out_h1 = ∂E/∂net_o1 · ∂net_o1/∂out_h1 = 0.138498562 × 0.4 = 0.055399425"),
        ("explain grad w1", "  ∂E/∂out_h1      = 0.055399425 + (-0.019049118) = 0.036350306"),
        ("explain grad b2[1]", "  ∂net_o1/∂b2[1]  = 1 (a bias adds directly)"),
        ("explain grad b2[1]", "∂E/∂b2[1] = 0.74136507 × 0.186815602 × 1 = 0.138498562"),
        ("explain loss", "E_o1 = ½(target_o1 - out_o1)² = ½(0.01 - 0.75136507)² = 0.274811083"),
        ("explain loss", "E    = 0.274811083 + 0.023560026 = 0.298371109"),
        ("explain forward", "  net_h1 = w1·i1 + w2·i2 + b1[1] = 0.15 × 0.05 + 0.2 × 0.1 + 0.35 = 0.3775"),
        ("explain forward", "  out_o1 = sigmoid(net_o1) = sigmoid(1.105905967) = 0.75136507"),
        ("explain step lr=0.5", "  w5⁺    = w5 - η ∂E/∂w5 = 0.4 - 0.5 × 0.082167041 = 0.35891648"),
        ("explain step lr=0.5", "  w7⁺    = w7 - η ∂E/∂w7 = 0.5 - 0.5 × (-0.02260254) = 0.51130127"),
        ("explain step lr=0.5", "E = 0.298371109 -> 0.280471447"),
    ]

    @Test(arguments: mazurFigureCases)
    func mazurFigures(_ testCase: (source: String, line: String)) throws {
        let printed = try Self.lines(after: Self.mazurAt9, testCase.source)
        #expect(printed.contains(testCase.line), "\(printed.joined(separator: "\n"))")
    }

    @Test func explainGradW5IsTheWholeChainRule() throws {
        #expect(try Self.lines(after: Self.mazurAt9, "explain grad w5") == [
            "∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂net_o1 · ∂net_o1/∂w5",
            "  ∂E/∂out_o1      = out_o1 - target_o1 = 0.75136507 - 0.01 = 0.74136507",
            "  ∂out_o1/∂net_o1 = out_o1 (1 - out_o1) = 0.75136507 × (1 - 0.75136507) = 0.186815602",
            "  ∂net_o1/∂w5     = out_h1 = 0.593269992",
            "∂E/∂w5 = 0.74136507 × 0.186815602 × 0.593269992 = 0.082167041",
        ])
    }

    /// `explain step` does the step it writes out: the network after it is the one `step` makes.
    @Test func explainStepTakesTheStep() throws {
        let (session, transcript) = try SessionTests.session(after: Self.mazurAt9)
        let before = try #require(session.workspace.network)
        #expect(session.run(source: "explain step lr=0.5") == .completed)
        #expect(transcript.lines.first == "each parameter moves against its gradient, η = 0.5:")
        #expect(transcript.lines.count == 1 + 12 + 1)
        let (stepped, _) = try SessionTests.session(after: mazurProgram + "\nstep lr=0.5")
        #expect(session.workspace.network == stepped.workspace.network)
        #expect(session.workspace.network != before)
        for (index, printed) in SessionTests.mazurWeightsAfterOneStep.enumerated() {
            let weight = try SessionTests.value(of: "w\(index + 1)", in: session)
            guard case .scalar(let number) = weight else {
                Issue.record("w\(index + 1) is \(weight)")
                continue
            }
            #expect(abs(number - Double(printed)!) <= 5e-9, "w\(index + 1) = \(number), published \(printed)")
        }
    }

    /// Without lr=, the session's learning rate.
    @Test func explainStepUsesTheSessionsLearningRate() throws {
        let printed = try Self.lines(after: Self.mazurAt9 + "\nset lr 0.25", "explain step")
        #expect(printed.first == "each parameter moves against its gradient, η = 0.25:")
        #expect(printed.contains("  w5⁺    = w5 - η ∂E/∂w5 = 0.4 - 0.25 × 0.082167041 = 0.37945824"))
    }

    // MARK: - Every explanation ends where backpropagation does

    struct AgreementCase: CustomStringConvertible, Sendable {
        var name: String
        var setup: String
        /// Whether the explanation's arithmetic is the engine's to the last bit. It is not where
        /// the engine divides by a sample count that is not a power of 2 before multiplying,
        /// or takes a fused route (softmax + cross_entropy, sigmoid + binary_cross_entropy),
        /// while the explanation multiplies per sample first and goes through the activation's
        /// derivative: there, agreement to rounding.
        var exact: Bool
        var description: String { name }
    }

    static let twoLayerRegression = """
        input 2
        layer 3 sigmoid
        layer 2 linear
        W1 = [[0.1, -0.2], [0.4, 0.3], [-0.5, 0.6]]
        b1 = [0.1, -0.1, 0.2]
        W2 = [[0.5, -0.5, 0.25], [0.1, 0.2, 0.3]]
        b2 = [0, 0.1]
        data x=[[0.5, -1], [1, 1]] y=[[0.2, 2], [0.1, -1]]
        """

    /// A 3-4-3-2 network, tanh, relu and softmax, cross-entropy, three samples: the mean path
    /// and the softmax Jacobian step. b2 keeps relu units alive.
    static let deepClassifier = """
        set seed 3
        input 3
        layer 4 tanh
        layer 3 relu
        layer 2 softmax
        loss cross_entropy
        b2 = [0.3, 0.2, 0.1]
        data x=[[0.5, -1, 0.25], [1, 0.5, -0.5], [-0.3, 0.8, 1]] y=[[1, 0], [0, 1], [1, 0]]
        """

    static let binaryClassifier = """
        input 2
        layer 3 tanh
        layer 2 sigmoid
        loss binary_cross_entropy
        W1 = [[0.3, -0.6], [0.2, 0.5], [-0.4, 0.1]]
        b1 = [0.1, 0, -0.2]
        W2 = [[0.7, -0.3, 0.2], [-0.5, 0.4, 0.6]]
        b2 = [0.05, -0.05]
        """

    /// A 2-2-2-1 network, sigmoid, tanh, linear, one sample.
    static let threeLayers = """
        input 2
        layer 2 sigmoid
        layer 2 tanh
        layer 1 linear
        loss sse
        W1 = [[0.1, 0.2], [0.3, 0.4]]
        b1 = 0.1
        W2 = [[0.5, -0.5], [0.25, 0.75]]
        b2 = -0.1
        W3 = [[1, -1]]
        b3 = 0.2
        data x=[[1, 2]] y=[[0.5]]
        """

    static let agreementCases: [AgreementCase] = [
        AgreementCase(name: "classic", setup: mazurProgram, exact: true),
        AgreementCase(name: "3-4-3-2 tanh relu softmax cross_entropy, 3 samples", setup: deepClassifier, exact: false),
        AgreementCase(name: "sigmoid binary_cross_entropy, 1 sample", setup: binaryClassifier + "\ndata x=[[0.5, -1]] y=[[1, 0]]", exact: false),
        AgreementCase(name: "sigmoid binary_cross_entropy, 3 samples",
                      setup: binaryClassifier + "\ndata x=[[0.5, -1], [1, 1], [-0.2, 0.3]] y=[[1, 0], [0, 0], [1, 1]]", exact: false),
        AgreementCase(name: "linear mse, 2 samples", setup: twoLayerRegression + "\nloss mse", exact: true),
        AgreementCase(name: "linear huber, 2 samples", setup: twoLayerRegression + "\nloss huber delta=0.3", exact: true),
        AgreementCase(name: "linear pseudo_huber, 2 samples", setup: twoLayerRegression + "\nloss pseudo_huber delta=0.5", exact: true),
        AgreementCase(name: "2-2-2-1 sigmoid tanh linear sse", setup: threeLayers, exact: true),
    ]

    /// Every weight and bias by its element name (`W2[1,2]`, `b1[3]`), and w1…wN as well.
    static func parameterNames(of network: Network) -> [String] {
        var names: [String] = []
        var weightNumber = 0
        for (index, layer) in network.layers.enumerated() {
            for i in 1...layer.units {
                for j in 1...layer.inputCount {
                    weightNumber += 1
                    names += ["W\(index + 1)[\(i),\(j)]", "w\(weightNumber)"]
                }
                names.append("b\(index + 1)[\(i)]")
            }
        }
        return names
    }

    /// The number after the last " = " of an explanation's last line.
    static func finalNumber(_ lines: [String]) -> Double? {
        lines.last?.components(separatedBy: " = ").last.flatMap(Double.init)
    }

    @Test(arguments: agreementCases)
    func explainGradEndsAtBackpropagationsGradient(_ testCase: AgreementCase) throws {
        let (session, transcript) = try SessionTests.session(after: testCase.setup + "\nset precision 17")
        let network = try #require(session.workspace.network)
        var largestByLayer = [Double](repeating: 0, count: network.layers.count)
        for name in Self.parameterNames(of: network) {
            let start = transcript.lines.count
            #expect(session.run(source: "explain grad \(name)") == .completed, "\(name)")
            let printed = Array(transcript.lines[start...])
            #expect(printed.last?.hasPrefix("∂E/∂\(name) = ") == true, "\(printed)")
            let explained = try #require(Self.finalNumber(printed), "\(name): \(printed)")
            guard case .scalar(let gradient) = try SessionTests.value(of: "grad(\(name))", in: session) else {
                Issue.record("grad(\(name)) is not a scalar")
                continue
            }
            if testCase.exact {
                #expect(explained == gradient, "\(name): explained \(explained), backprop \(gradient)")
            } else {
                #expect(abs(explained - gradient) <= 1e-12 * abs(gradient) + 1e-16, "\(name): explained \(explained), backprop \(gradient)")
            }
            if let layer = name.first == "w" ? nil : Int(String(name.dropFirst().prefix { $0.isNumber })) {
                largestByLayer[layer - 1] = max(largestByLayer[layer - 1], abs(gradient))
            }
        }
        // Guard: the gradient reaches every layer, so the comparisons compare something.
        #expect(largestByLayer.allSatisfy { $0 > 1e-4 }, "\(largestByLayer)")
    }

    /// The huber case has outputs on both sides of delta, so both branches are explained.
    @Test func theHuberCaseCrossesDelta() throws {
        let (session, _) = try SessionTests.session(after: Self.twoLayerRegression)
        let network = try #require(session.workspace.network)
        let data = try #require(session.workspace.trainingSet)
        let residuals = (network.predict(data.inputs) - data.targets).storage.map(abs)
        #expect(residuals.contains { $0 < 0.3 })
        #expect(residuals.contains { $0 > 0.3 })
    }

    /// The several-sample explanation is the mean of per-sample products, one row per sample,
    /// and the softmax output goes through its Jacobian.
    @Test func severalSamplesAndSoftmax() throws {
        let printed = try Self.lines(after: Self.deepClassifier, "explain grad W3[2,1]")
        #expect(printed == [
            "∂E/∂W3[2,1] = mean over the 3 samples of ∂E/∂z3[2] · ∂z3[2]/∂W3[2,1]",
            "  sample      ∂E/∂z3[2]  ∂z3[2]/∂W3[2,1]        product",
            "       1   0.4521775487     0.6975176178   0.3154018066",
            "       2  -0.5335000438     0.5281595747  -0.2817731563",
            "       3  0.05217321575                0              0",
            "∂E/∂W3[2,1] = (0.3154018066 + (-0.2817731563) + 0) / 3 = 0.01120955011",
        ])
        let hidden = try Self.lines(after: Self.deepClassifier + "\ndata x=[[0.5, -1, 0.25]] y=[[1, 0]]", "explain grad W3[2,1]")
        #expect(hidden.contains { $0.hasPrefix("  ∂E/∂z3[2] = Σ_k ∂E/∂a3[k] · ∂a3[k]/∂z3[2]   (softmax: ∂out_k/∂net_i = out_k (δ_ki - out_i))") }, "\(hidden)")
    }

    // MARK: - Notation

    @Test func layeredNotationForThreeLayers() throws {
        let printed = try Self.lines(after: Self.threeLayers + "\nset precision 6", "explain grad W2[1,2]\nexplain forward")
        for line in [
            "∂E/∂W2[1,2] = ∂E/∂a2[1] · ∂a2[1]/∂z2[1] · ∂z2[1]/∂W2[1,2]",
            "    via z3[1] = ∂E/∂z3[1] · ∂z3[1]/∂a2[1] = (-1.02345) × 1 = -1.02345",
            "  ∂a2[1]/∂z2[1]   = 1 - a2[1]² = 1 - (-0.160046)² = 0.974385",
            "  ∂z2[1]/∂W2[1,2] = a1[2] = 0.768525",
            "∂E/∂W2[1,2] = (-1.02345) × 0.974385 × 0.768525 = -0.7664",
            "inputs: x[1] = 1, x[2] = 2",
            "  z2[1] = W2[1,1]·a1[1] + W2[1,2]·a1[2] + b2[1] = 0.5 × 0.645656 + (-0.5) × 0.768525 + (-0.1) = -0.161434",
            "  a2[1] = tanh(z2[1]) = tanh(-0.161434) = -0.160046",
        ] {
            #expect(printed.contains(line), "\(line)")
        }
    }

    /// `set notation` chooses the names; auto is classic for one hidden layer, layered otherwise.
    static let notationCases: [(setup: String, choice: String, firstLine: String)] = [
        (mazurProgram, "auto", "∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂net_o1 · ∂net_o1/∂w5"),
        (mazurProgram, "classic", "∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂net_o1 · ∂net_o1/∂w5"),
        (mazurProgram, "layered", "∂E/∂w5 = ∂E/∂a2[1] · ∂a2[1]/∂z2[1] · ∂z2[1]/∂w5"),
        (threeLayers, "auto", "∂E/∂w5 = ∂E/∂a2[1] · ∂a2[1]/∂z2[1] · ∂z2[1]/∂w5"),
        (threeLayers, "layered", "∂E/∂w5 = ∂E/∂a2[1] · ∂a2[1]/∂z2[1] · ∂z2[1]/∂w5"),
        (threeLayers, "classic", "∂E/∂w5 = ∂E/∂out_h2_1 · ∂out_h2_1/∂net_h2_1 · ∂net_h2_1/∂w5"),
    ]

    @Test(arguments: notationCases)
    func notationChoice(_ testCase: (setup: String, choice: String, firstLine: String)) throws {
        // Each choice after another, so a setting that does not take would show.
        let other = testCase.choice == "layered" ? "classic" : "layered"
        let printed = try Self.lines(after: testCase.setup + "\nset notation \(other)", "set notation \(testCase.choice)\nexplain grad w5")
        #expect(printed.first == testCase.firstLine)
    }

    @Test func aBadNotationIsRefused() throws {
        let (session, _) = try SessionTests.session(after: mazurProgram)
        #expect(session.run(source: "set notation bogus") == .failed(Diagnostic(
            .expectedValue(what: "auto, classic or layered for notation", got: "'bogus'"), at: span(1, 14, 19))))
        #expect(session.settings.notation == .auto)
    }

    // MARK: - The matrix form

    @Test func matrixFormForWeightsAndBiases() throws {
        #expect(try Self.lines(after: Self.mazurAt9, "explain grad W2") == [
            "∂E/∂W2 = δ2ᵀ A1   (2×1 · 1×2 → 2×2)",
            "  element by element: ∂E/∂W2[i,j] = Σ_n δ2[n,i] · A1[n,j]",
            "  δ2 = ∂E/∂Z2, one row per sample = [[0.138498562, -0.038098237]]",
            "  A1 = layer 1's outputs, one row per sample = [[0.593269992, 0.596884378]]",
            "∂E/∂W2 = [[0.082167041, 0.082667628], [-0.02260254, -0.022740242]]",
        ])
        #expect(try Self.lines(after: Self.mazurAt9, "explain grad b1") == [
            "∂E/∂b1 = Σ over the samples of δ1   (1×2 summed down its rows → 2)",
            "  δ1 = ∂E/∂Z1, one row per sample = [[0.008771355, 0.009954255]]",
            "∂E/∂b1 = [0.008771355, 0.009954255]",
        ])
        let first = try Self.lines(after: "example xor", "explain grad W1")
        #expect(first.first == "∂E/∂W1 = δ1ᵀ X   (2×4 · 4×2 → 2×2)")
        #expect(first.contains("  X = the inputs, one row per sample = [[0, 0], [0, 1], [1, 0], [1, 1]]"))
        #expect(try Self.lines(after: "example xor", "explain grad b2").first == "∂E/∂b2 = Σ over the samples of δ2   (4×1 summed down its rows → 1)")
    }

    @Test(arguments: ["W1", "W2", "W3", "b1", "b2", "b3"])
    func matrixFormEndsAtBackpropagationsGradient(_ name: String) throws {
        let printed = try Self.lines(after: Self.deepClassifier + "\nset precision 17", "explain grad \(name)\nprint grad(\(name))")
        #expect(printed.count >= 3)
        #expect(printed[printed.count - 2] == "∂E/∂\(name) = " + printed[printed.count - 1])
    }

    // MARK: - limit= and sample=

    @Test func limitShortensTheMatrixFormsPerSampleMatrices() throws {
        let printed = try Self.lines(after: "example xor\nset print_limit 0", "explain grad W1 limit=1")
        #expect(printed.contains("  X = the inputs, one row per sample = [[0, 0]]"))
        #expect(printed.filter { $0 == "    … 3 more samples (limit=N shows more)" }.count == 2)
        let bias = try Self.lines(after: "example xor\nset print_limit 0", "explain grad(b1) limit=2")
        #expect(bias.count == 4)
        #expect(bias[2] == "    … 2 more samples (limit=N shows more)")
        // Without limit= every sample is written, as before.
        #expect(try Self.lines(after: "example xor", "explain grad W1").contains("  X = the inputs, one row per sample = [[0, 0], [0, 1], [1, 0], [1, 1]]"))
    }

    static let limitCases: [(setup: String, source: String, lines: [String], count: Int)] = [
        ("example xor", "explain grad w5 limit=2", [
            "       2  -0.2128266042     0.1675314407   0.880797078  -0.03140494985",
            "  … 2 more samples (limit=N shows more)",
            "∂E/∂w5 = (sum of the 4 products -0.04442750001) / 4 = -0.011106875",
        ], 6),
        ("example xor", "explain grad b1[1] limit=1", [
            "  … 3 more samples (limit=N shows more)",
            "∂E/∂b1[1] = (sum of the 4 products -0.01964670729) / 4 = -0.004911676822",
        ], 5),
        ("example xor", "explain grad w5", [
            "       4    0.127378817      0.111153454  0.9959298623   0.01410096804",
            "∂E/∂w5 = (0.004281431647 + (-0.03140494985) + (-0.03140494985) + 0.01410096804) / 4 = -0.011106875",
        ], 7),
        ("example xor", "explain loss limit=2", [
            "  E_2  = 0.02264758173",
            "  … 2 more samples (limit=N shows more)",
            "E = mean over the 4 samples = (sum 0.06751122847) / 4 = 0.01687780712",
        ], 8),
        ("example xor", "explain forward sample=3", [
            "sample 3 of 4 (sample=N for another):",
            "inputs: i1 = 1, i2 = 0",
            "  net_h1 = w1·i1 + w2·i2 + b1[1] = 3.5 × 1 + 3.5 × 0 + (-1.5) = 2",
        ], 10),
        (mazurProgram, "explain forward limit=1", [
            "  out_h1 = sigmoid(net_h1) = sigmoid(0.3775) = 0.5932699921",
            "  … 1 more neurons (limit=N shows more)",
        ], 9),
        (mazurProgram, "explain step lr=0.5 limit=2", [
            "  w2⁺ = w2 - η ∂E/∂w2 = 0.2 - 0.5 × 0.0008771354689 = 0.1995614323",
            "  … 10 more parameters (limit=N shows more)",
        ], 5),
    ]

    @Test(arguments: limitCases)
    func limitAndSample(_ testCase: (setup: String, source: String, lines: [String], count: Int)) throws {
        let printed = try Self.lines(after: testCase.setup, testCase.source)
        for line in testCase.lines { #expect(printed.contains(line), "\(line)\n\(printed.joined(separator: "\n"))") }
        #expect(printed.count == testCase.count, "\(printed.joined(separator: "\n"))")
    }

    // MARK: - Errors

    static let errorCases: [(setup: String, source: String, message: String, span: SourceSpan)] = [
        (mazurProgram, "explain grad", "'explain grad' needs a parameter: w5, W2, b1, W2[1,2]", span(1, 9, 13)),
        ("input 2\nlayer 1", "explain loss", "'explain' needs data: give it with 'data x=MATRIX y=MATRIX'", span(1, 1, 13)),
        ("", "explain grad w5", "'explain' needs a network: start with 'input N'", span(1, 1, 16)),
        ("input 2", "explain forward", "'explain' needs at least one layer: add one with 'layer N ACTIVATION'", span(1, 1, 16)),
        (mazurProgram, "explain forward lr=1", "option 'lr' applies to explain step only", span(1, 17, 19)),
        (mazurProgram, "explain grad w5 sample=1", "option 'sample' applies to explain forward only", span(1, 17, 23)),
        (mazurProgram, "explain loss sample=1", "option 'sample' applies to explain forward only", span(1, 14, 20)),
        // limit= shortens a list of samples, neurons or parameters; an expression's graph has none.
        ("x = 1", "explain grad(x^2, x) limit=2", "option 'limit' applies to explain grad of a parameter, forward, loss and step only", span(1, 22, 27)),
        ("x = 1", "explain grad(x^2, x) sample=1", "option 'sample' applies to explain forward only", span(1, 22, 28)),
        ("x = 1", "explain grad(x^2, x) lr=1", "option 'lr' applies to explain step only", span(1, 22, 24)),
        (mazurProgram, "explain grad w99", "no weight w99: this network has weights w1 to w8", span(1, 14, 17)),
        (mazurProgram, "explain grad W3", "no parameter 'W3': the network has layers 1 to 2", span(1, 14, 16)),
        (mazurProgram, "explain grad W1[3,1]", "index [3,1] is out of range for W1, a 2×2 matrix", span(1, 14, 21)),
        (mazurProgram, "explain forward sample=2", "expected a whole number from 1 to 1 for sample, got 2", span(1, 24, 25)),
        (mazurProgram, "explain loss limit=0", "expected a whole number ≥ 1 for limit, got 0", span(1, 20, 21)),
        (mazurProgram, "explain step lr=0", "the learning rate must be greater than 0, got 0", span(1, 17, 18)),
    ]

    @Test(arguments: errorCases)
    func errors(_ testCase: (setup: String, source: String, message: String, span: SourceSpan)) throws {
        let (session, transcript) = try SessionTests.session(after: testCase.setup)
        let network = session.workspace.network
        let start = transcript.lines.count
        guard case .failed(let diagnostic) = session.run(source: testCase.source) else {
            Issue.record("expected a runtime error")
            return
        }
        #expect(diagnostic.message == testCase.message)
        #expect(diagnostic.span == testCase.span)
        #expect(transcript.lines.count == start)
        #expect(session.workspace.network == network)
    }

    /// An unknown topic or a parameter that is not one is found before anything runs.
    @Test(arguments: [("explain fish", "unknown explain topic 'fish'"), ("explain grad 3", "'explain' expects a parameter name like w5, W2, b1 or W2[1,2]")])
    func syntaxErrors(_ testCase: (String, String)) {
        guard case .syntaxErrors(let diagnostics) = makeSession().0.run(source: testCase.0) else {
            Issue.record("expected a syntax error")
            return
        }
        #expect(diagnostics.map(\.message) == [testCase.1])
    }

    // MARK: - set decimals

    static let decimalsCases: [(decimals: Int, number: Double, text: String)] = [
        (9, 0.7513650695523157, "0.75136507"),
        (9, 0.082167040564230784, "0.082167041"),
        (9, 0.35, "0.35"),
        (9, 2, "2"),
        (9, -0.019049118258, "-0.019049118"),
        (9, 1e-12, "0"),
        (9, -1e-12, "0"),
        (9, -0.0, "0"),
        (3, 1234.56789, "1234.568"),
        (0, 7.4, "7"),
        (2, 1e15, "1e15"),
        (2, -2.5e20, "-2.5e20"),
        (2, 999_999_999_999_999, "999999999999999"),
        (9, .nan, "nan"),
        (9, -.infinity, "-inf"),
    ]

    @Test(arguments: decimalsCases)
    func decimals(_ testCase: (decimals: Int, number: Double, text: String)) {
        #expect(ValueFormatter(precision: 10, decimals: testCase.decimals).format(testCase.number) == testCase.text)
    }

    @Test func setDecimalsAndSetPrecision() throws {
        let (session, transcript) = makeSession()
        #expect(session.run(source: "set decimals 9\nprint sigmoid(1.105905967), [0.35, -1e-12]\nset precision 4\nprint sigmoid(1.105905967)") == .completed)
        #expect(transcript.lines == ["0.75136507 [0.35, 0]", "0.7514"])
        #expect(session.settings.decimals == nil)
        guard case .failed(let diagnostic) = session.run(source: "set decimals 18") else {
            Issue.record("set decimals 18 was accepted")
            return
        }
        #expect(diagnostic.message == "expected a whole number from 0 to 17 for decimals, got 18")
    }
}
