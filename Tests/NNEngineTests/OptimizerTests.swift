import Testing
import NNEngine

/// The optimizers against numbers computed independently from PyTorch's documented rules.
///
/// The reference values come from the numpy script at the end of this file (PyTorch itself
/// is not installed where this was written): it implements the update rules as the
/// `torch.optim` documentation states them and prints the parameters after each of the
/// first three steps. To rerun it:
/// `sed -n '/^# BEGIN optimizers.py/,/^# END optimizers.py/p' Tests/NNEngineTests/OptimizerTests.swift | python3`
@Suite("Optimizer")
struct OptimizerTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var settings: OptimizerSettings
        var learningRate: Double
        /// The parameters after steps 1, 2 and 3: w11 w12 w21 w22 b1 b2 | v1 v2 c.
        var expected: [[Double]]
        var description: String { name }
    }

    static func settings(_ kind: OptimizerKind, _ change: (inout OptimizerSettings) -> Void) -> OptimizerSettings {
        var settings = OptimizerSettings(kind: kind)
        change(&settings)
        return settings
    }

    /// The 2-2-1 sigmoid network of the script, and its one sample.
    static func network() -> Network {
        Network(inputCount: 2, layers: [
            DenseLayer(weights: Matrix([[0.15, 0.20], [0.25, 0.30]]), biases: [0.35, 0.35], activation: .sigmoid),
            DenseLayer(weights: Matrix([[0.40, 0.45]]), biases: [0.60], activation: .sigmoid),
        ])
    }
    static let input = Matrix(row: [0.05, 0.10])
    static let target = Matrix(row: [0.01])

    static func parameters(_ network: Network) -> [Double] {
        network.layers.flatMap { $0.weights.storage + $0.biases }
    }

    static let cases: [Case] = [
        Case(name: "sgd", settings: OptimizerSettings(kind: .sgd), learningRate: 0.5, expected: [
            [0.1496658019894278, 0.19933160397885563, 0.24962509811277758, 0.29925019622555515, 0.34331603978855624, 0.3425019622555516, 0.35891647971788465, 0.4086661860762334, 0.5307507191857215],
            [0.14935768152647563, 0.1987153630529513, 0.24927519607159512, 0.29855039214319024, 0.3371536305295127, 0.33550392143190244, 0.31687193555173965, 0.3663785715373618, 0.45968582985616613],
            [0.14908050826481115, 0.1981610165296223, 0.24895550134452188, 0.29791100268904375, 0.33161016529622306, 0.3291100268904376, 0.2741895271310052, 0.32346325261236836, 0.3873584117564068],
        ]),
        Case(name: "sgd, weight decay 0.01", settings: settings(.sgd) { $0.weightDecay = 0.01 }, learningRate: 0.5, expected: [
            [0.1489158019894278, 0.19833160397885563, 0.24837509811277758, 0.29775019622555515, 0.34156603978855626, 0.34075196225555154, 0.35691647971788465, 0.40641618607623337, 0.5277507191857215],
            [0.1478643901618988, 0.19672628032379763, 0.24678475004843684, 0.2955645000968737, 0.3337215532379762, 0.3320787509687367, 0.3130754175766323, 0.3620854990250198, 0.4539720592147076],
            [0.14685072051612555, 0.1951939535322511, 0.2452342902675345, 0.29345360553506894, 0.32656599157251087, 0.32408763660068945, 0.2688437670922264, 0.317377957331774, 0.37929210618119064],
        ]),
        Case(name: "momentum", settings: OptimizerSettings(kind: .momentum), learningRate: 0.5, expected: [
            [0.1496658019894278, 0.19933160397885563, 0.24962509811277758, 0.29925019622555515, 0.34331603978855624, 0.3425019622555516, 0.35891647971788465, 0.4086661860762334, 0.5307507191857215],
            [0.14905690331696067, 0.19811380663392134, 0.24893778437309494, 0.29787556874618987, 0.33113806633921333, 0.3287556874618988, 0.27989676729783575, 0.3291781390059718, 0.3973614771233155],
            [0.14826189854105648, 0.19652379708211296, 0.24802937622791404, 0.29605875245582813, 0.3152379708211296, 0.3105875245582812, 0.165873394368479, 0.21451135169380053, 0.2044234195860258],
        ]),
        Case(name: "momentum, l1 0.05", settings: settings(.momentum) { $0.l1 = 0.05 }, learningRate: 0.5, expected: [
            [0.12466580198942781, 0.17433160397885564, 0.2246250981127776, 0.27425019622555513, 0.31831603978855627, 0.31750196225555155, 0.33391647971788463, 0.3836661860762334, 0.5057507191857216],
            [0.07657408793241963, 0.12564817586483926, 0.17645422224599638, 0.22540844449199277, 0.25898175864839257, 0.25658444491992777, 0.20748491494500979, 0.25676263547498623, 0.324165797132607],
            [0.008106636995260846, 0.056463273990521715, 0.10787201206404812, 0.1559940241280962, 0.17688273990521722, 0.17219024128096233, 0.02739836304003529, 0.07602739844697304, 0.06308407498772334],
        ]),
        Case(name: "nesterov", settings: OptimizerSettings(kind: .nesterov), learningRate: 0.5, expected: [
            [0.14936502377991284, 0.1987300475598257, 0.2492876864142774, 0.2985753728285548, 0.3373004755982569, 0.33575372828554795, 0.3219413114639808, 0.37146575354484346, 0.4684263664528709],
            [0.1485601600110509, 0.19712032002210186, 0.2483691998824176, 0.2967383997648352, 0.3212032002210184, 0.31738399764835207, 0.20769501522626846, 0.25657147568055344, 0.2751375009121894],
            [0.14774235668413332, 0.19548471336826673, 0.2474066440160845, 0.294813288032169, 0.3048471336826669, 0.2981328803216901, 0.06260160414642404, 0.11073473075819373, 0.028630331079935373],
        ]),
        Case(name: "adagrad", settings: OptimizerSettings(kind: .adagrad), learningRate: 0.1, expected: [
            [0.050000014961187944, 0.10000000748059454, 0.15000001333682092, 0.2000000066684109, 0.2500000007480595, 0.2500000006668411, 0.3000000001217033, 0.3500000001209663, 0.5000000000722029],
            [-0.012343473632557056, 0.0376565152404465, 0.08624330545909942, 0.13624329551531023, 0.18765650522614835, 0.1862432865658989, 0.22948008906080147, 0.27946520935912883, 0.4277862475138044],
            [-0.055998484784310625, -0.005998498208490653, 0.04022370495913259, 0.09022369291639307, 0.14400148970974577, 0.1402236820779263, 0.17271689341142174, 0.22271176479507954, 0.36888576196565026],
        ]),
        Case(name: "rmsprop", settings: OptimizerSettings(kind: .rmsprop), learningRate: 0.01, expected: [
            [0.05001495895216086, 0.10000748003554794, 0.15001333504422942, 0.20000666796670286, 0.25000074805391403, 0.2500006668366883, 0.3000001217031521, 0.35000012096618915, 0.5000000722028638],
            [-0.012512642235003896, 0.03747621066167417, 0.08607316240350461, 0.13606320089985757, 0.1874661769440002, 0.18605423449606473, 0.22930231854896413, 0.27928747879010374, 0.42761295766049046],
            [-0.05642272162747496, -0.006436194709802667, 0.03978942222858963, 0.08977733621239904, 0.14355167798071833, 0.13976645758055228, 0.17225257383505121, 0.22224747619363525, 0.36842692097188384],
        ]),
        Case(name: "adam", settings: OptimizerSettings(kind: .adam), learningRate: 0.01, expected: [
            [0.14000014960966364, 0.1900000748053914, 0.24000013336644832, 0.29000006668366884, 0.3400000074805895, 0.3400000066684069, 0.3900000012170329, 0.4400000012096632, 0.5900000007220291],
            [0.13000518405423575, 0.18000503383795305, 0.23000427220309977, 0.28000413838672084, 0.3300048986413687, 0.3300040179504484, 0.3799996889423969, 0.4299996782098889, 0.5799985063384437],
            [0.1200187876161511, 0.17001856138034954, 0.22001545104379414, 0.2700152496420768, 0.32001835776520865, 0.3200150683782178, 0.36999899053308477, 0.4199989513078434, 0.5699946435359005],
        ]),
        Case(name: "adam, weight decay 0.1, l1 0.01", settings: settings(.adam) { $0.weightDecay = 0.1; $0.l1 = 0.01 }, learningRate: 0.01, expected: [
            [0.1400000038958399, 0.1900000031911361, 0.24000000279721737, 0.29000000240966073, 0.34000000171326955, 0.3400000016667754, 0.3900000007566182, 0.4400000007263871, 0.5900000004796195],
            [0.1300125026571055, 0.18001003139375785, 0.23000850753560134, 0.2800072757802251, 0.3300061175981237, 0.33000585359076146, 0.3800018420356463, 0.430001757743898, 0.580000227037408],
            [0.12004656785057603, 0.1700372533984034, 0.22003152527208508, 0.27002692321661576, 0.3200226707100088, 0.3200216896744246, 0.37000685484978063, 0.420006541233111, 0.5700009078460393],
        ]),
    ]

    @Test(arguments: cases)
    func firstThreeStepsMatchTheReference(_ testCase: Case) {
        var network = Self.network()
        var optimizer = Optimizer(settings: testCase.settings, for: network)
        for (step, expected) in testCase.expected.enumerated() {
            let gradients = network.gradients(input: Self.input, target: Self.target, loss: .sse)
            #expect(optimizer.step(&network, gradients: gradients, learningRate: testCase.learningRate))
            let actual = Self.parameters(network)
            #expect(actual.count == expected.count)
            for (a, e) in zip(actual, expected) {
                #expect(TestSupport.isClose(a, e, relative: 1e-12, absolute: 1e-15), "step \(step + 1): \(a) ≠ \(e)")
            }
        }
        #expect(optimizer.stepCount == 3)
    }
}

extension OptimizerTests {
    @Test(arguments: OptimizerKind.allCases)
    func defaultsAreTorchs(_ kind: OptimizerKind) {
        let settings = OptimizerSettings.defaults(for: kind)
        #expect(settings == OptimizerSettings(kind: kind))
        #expect(settings.kind == kind)
        #expect(settings.momentum == 0.9 && settings.beta1 == 0.9 && settings.beta2 == 0.999 && settings.alpha == 0.99)
        #expect(settings.epsilon == (kind == .adagrad ? 1e-10 : 1e-8))
        #expect(settings.weightDecay == 0 && settings.l1 == 0)
        #expect(settings.isValid)
        #expect(OptimizerKind(rawValue: kind.rawValue) == kind)
    }

    @Test func namesAreTheLanguages() {
        #expect(OptimizerKind.allCases.map(\.rawValue) == ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "rprop", "lbfgs"])
    }

    @Test(arguments: [
        { (s: inout OptimizerSettings) in s.beta1 = 1 }, { s in s.beta2 = -0.1 }, { s in s.alpha = 1 },
        { s in s.epsilon = -1 }, { s in s.weightDecay = .nan }, { s in s.l1 = -0.1 }, { s in s.momentum = .infinity },
    ] as [@Sendable (inout OptimizerSettings) -> Void])
    func invalidSettingsAreNoticed(_ change: @Sendable (inout OptimizerSettings) -> Void) {
        var settings = OptimizerSettings(kind: .adam)
        change(&settings)
        #expect(!settings.isValid)
    }

    /// A random 3-4-2 network, batch and target.
    static func randomProblem(seed: UInt64) -> (network: Network, input: Matrix, target: Matrix) {
        var generator = SeededGenerator(seed: seed)
        var network = Network(inputCount: 3)
        network.appendLayer(units: 4, activation: .tanh, generator: &generator)
        network.appendLayer(units: 2, activation: .linear, generator: &generator)
        let input = TestSupport.randomMatrix(rows: 5, columns: 3, generator: &generator)
        let target = TestSupport.randomMatrix(rows: 5, columns: 2, generator: &generator)
        return (network, input, target)
    }

    /// sgd against micrograd's `p -= lr * grad`, written out here, over several steps of a
    /// stateful optimizer and of `Optimizer.descend`.
    @Test func sgdIsExactlyGradientDescent() {
        let problem = Self.randomProblem(seed: 3)
        var viaOptimizer = problem.network
        var viaDescend = problem.network
        var byHand = problem.network
        var optimizer = Optimizer(settings: OptimizerSettings(kind: .sgd), for: problem.network)
        for _ in 0..<10 {
            let a = viaOptimizer.gradients(input: problem.input, target: problem.target, loss: .mse)
            let b = viaDescend.gradients(input: problem.input, target: problem.target, loss: .mse)
            let c = byHand.gradients(input: problem.input, target: problem.target, loss: .mse)
            #expect(optimizer.step(&viaOptimizer, gradients: a, learningRate: 0.3))
            #expect(Optimizer.descend(&viaDescend, gradients: b, learningRate: 0.3))
            for index in byHand.layers.indices {
                for i in 0..<c.weights[index].count { byHand.layers[index].weights.storage[i] -= 0.3 * c.weights[index].storage[i] }
                for i in c.biases[index].indices { byHand.layers[index].biases[i] -= 0.3 * c.biases[index][i] }
            }
        }
        #expect(viaOptimizer == byHand)
        #expect(viaDescend == byHand)
        #expect(viaOptimizer != problem.network)
    }

    /// A refused step leaves the parameters and the state as they were: the next good step
    /// gives what it gives without the refused one in between. (L-BFGS steps by `LBFGS`.)
    @Test(arguments: OptimizerKind.allCases.filter { $0 != .lbfgs })
    func aNonFiniteStepChangesNothing(_ kind: OptimizerKind) {
        let problem = Self.randomProblem(seed: 8)
        var network = problem.network
        var optimizer = Optimizer(settings: OptimizerSettings(kind: kind), for: network)
        var undisturbed = network
        var undisturbedOptimizer = optimizer
        let first = network.gradients(input: problem.input, target: problem.target, loss: .mse)
        #expect(optimizer.step(&network, gradients: first, learningRate: 0.1))
        #expect(undisturbedOptimizer.step(&undisturbed, gradients: first, learningRate: 0.1))

        let afterOneStep = network
        // Rprop moves by the gradient's sign only, so a huge finite gradient is a finite step.
        for poison in kind == .rprop ? [Double.nan, .infinity] : [Double.nan, .infinity, 1e308] {
            var bad = network.gradients(input: problem.input, target: problem.target, loss: .mse)
            bad.weights[1].storage[1] = poison
            #expect(!optimizer.step(&network, gradients: bad, learningRate: 1e10), "\(poison)")
            #expect(network == afterOneStep)
        }
        var badLoss = network.gradients(input: problem.input, target: problem.target, loss: .mse)
        badLoss.loss = .nan
        #expect(!optimizer.step(&network, gradients: badLoss, learningRate: 0.1))
        #expect(network == afterOneStep)
        #expect(optimizer.stepCount == 1)

        let second = network.gradients(input: problem.input, target: problem.target, loss: .mse)
        #expect(optimizer.step(&network, gradients: second, learningRate: 0.1))
        #expect(undisturbedOptimizer.step(&undisturbed, gradients: second, learningRate: 0.1))
        #expect(network == undisturbed)
    }

    /// Weight decay and L1 reach the biases too, as PyTorch's weight_decay does for every parameter.
    @Test func regularizationShrinksEveryParameter() {
        let network = Network(inputCount: 1, layers: [DenseLayer(weights: Matrix([[2]]), biases: [-4], activation: .linear)])
        let zeroGradients = NetworkGradients(weights: [Matrix([[0]])], biases: [[0]], deltas: [Matrix([[0]])], loss: 1)
        var settings = OptimizerSettings(kind: .sgd)
        settings.weightDecay = 0.5
        settings.l1 = 0.25
        var optimizer = Optimizer(settings: settings, for: network)
        var stepped = network
        #expect(optimizer.step(&stepped, gradients: zeroGradients, learningRate: 0.1))
        #expect(stepped.layers[0].weights[0, 0] == 2 - 0.1 * (0.5 * 2 + 0.25))
        #expect(stepped.layers[0].biases[0] == -4 - 0.1 * (0.5 * -4 - 0.25))
    }
}

/*
# BEGIN optimizers.py
# Reference values for OptimizerTests: the update rules as torch.optim documents them
# (SGD, SGD with momentum and nesterov, Adagrad, RMSprop, Adam), written from the
# documentation's pseudocode with numpy, independent of the Swift engine.
#
# The problem: a 2-2-1 network, sigmoid hidden and output layers, loss ½ Σ (t − o)²,
# one sample x = [0.05, 0.10], t = [0.01]. Parameters are listed layer by layer,
# weights row by row (row = unit) then biases: w11 w12 w21 w22 b1 b2 | v1 v2 c.
import numpy as np

x = np.array([0.05, 0.10])
t = np.array([0.01])

def start():
    return [np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([0.35, 0.35]),
            np.array([[0.40, 0.45]]), np.array([0.60])]

def sigmoid(z):
    return 1 / (1 + np.exp(-z))

def gradients(p):
    W1, b1, W2, b2 = p
    h = sigmoid(W1 @ x + b1)
    o = sigmoid(W2 @ h + b2)
    d2 = (o - t) * o * (1 - o)
    d1 = (W2.T @ d2) * h * (1 - h)
    return [np.outer(d1, x), d1, np.outer(d2, h), d2]

def run(kind, lr, steps=3, momentum=0.9, nesterov=False, alpha=0.99, betas=(0.9, 0.999),
        eps=None, weight_decay=0.0, l1=0.0):
    p = start()
    state1 = [np.zeros_like(q) for q in p]
    state2 = [np.zeros_like(q) for q in p]
    rows = []
    for step in range(1, steps + 1):
        g = gradients(p)
        for i in range(len(p)):
            gi = g[i] + weight_decay * p[i] + l1 * np.sign(p[i])
            if kind == "sgd":
                p[i] = p[i] - lr * gi
            elif kind == "momentum":
                # torch.optim.SGD: b_1 = g_1, b_t = mu b_{t-1} + (1 - dampening) g_t, dampening 0
                state1[i] = gi.copy() if step == 1 else momentum * state1[i] + gi
                update = gi + momentum * state1[i] if nesterov else state1[i]
                p[i] = p[i] - lr * update
            elif kind == "adagrad":
                # torch.optim.Adagrad: state_sum += g^2; theta -= lr g / (sqrt(state_sum) + eps)
                state1[i] = state1[i] + gi * gi
                p[i] = p[i] - lr * gi / (np.sqrt(state1[i]) + eps)
            elif kind == "rmsprop":
                # torch.optim.RMSprop: v = alpha v + (1 - alpha) g^2; theta -= lr g / (sqrt(v) + eps)
                state1[i] = alpha * state1[i] + (1 - alpha) * gi * gi
                p[i] = p[i] - lr * gi / (np.sqrt(state1[i]) + eps)
            elif kind == "adam":
                # torch.optim.Adam: m, v moving averages; bias-corrected m_hat, v_hat
                b1, b2 = betas
                state1[i] = b1 * state1[i] + (1 - b1) * gi
                state2[i] = b2 * state2[i] + (1 - b2) * gi * gi
                m_hat = state1[i] / (1 - b1 ** step)
                v_hat = state2[i] / (1 - b2 ** step)
                p[i] = p[i] - lr * m_hat / (np.sqrt(v_hat) + eps)
        rows.append(np.concatenate([q.ravel() for q in p]))
    return rows

cases = [
    ("sgd", dict(kind="sgd", lr=0.5)),
    ("sgd, weight decay 0.01", dict(kind="sgd", lr=0.5, weight_decay=0.01)),
    ("momentum", dict(kind="momentum", lr=0.5)),
    ("momentum, l1 0.05", dict(kind="momentum", lr=0.5, l1=0.05)),
    ("nesterov", dict(kind="momentum", lr=0.5, nesterov=True)),
    ("adagrad", dict(kind="adagrad", lr=0.1, eps=1e-10)),
    ("rmsprop", dict(kind="rmsprop", lr=0.01, eps=1e-8)),
    ("adam", dict(kind="adam", lr=0.01, eps=1e-8)),
    ("adam, weight decay 0.1, l1 0.01", dict(kind="adam", lr=0.01, eps=1e-8, weight_decay=0.1, l1=0.01)),
]
for name, arguments in cases:
    print("//", name)
    for row in run(**arguments):
        print("[" + ", ".join(repr(float(v)) for v in row) + "],")
# END optimizers.py
*/
