import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import NNEngine
import Testing
@testable import NNLang

/// `plot neurons` and `plot boundary layer=L unit=U`: the terminal maps checked to the character
/// on the hand-weighted XOR network (h1 = σ(3.5·x1 + 3.5·x2 − 1.5) is OR, h2 = σ(−4·x1 − 4·x2 + 6)
/// NAND, o1 their AND: the corners the golden text shows high and low follow from those weights);
/// the SVGs parsed by Foundation's XMLDocument and their elements counted.
@Suite("Neuron maps")
struct NeuronMapTests {
    @Test func everyNeuronInASCII() throws {
        #expect(try PlotTests.output(of: "plot neurons width=40", after: "set charset ascii\nexample xor") == [
            "    every neuron over the plane: xor",
            "layer 1: sigmoid      layer 2: sigmoid",
            "0 to 1                0 to 1",
            "h1                    o1",
            "|+x+############o#|   |+x+....  '''---o-|",
            "|++++#############|   |+++++....  ''----|",
            "|.+++++###########|   |.++++++....  ''--|",
            "|...+++++#########|   |...++++++...   ''|",
            "|  ...+++++#######|   |  ...++++++...   |",
            "|'  ....+++++#####|   |'  ....++++++... |",
            "|''   ....+++++###|   |'''  ....++++++..|",
            "|-'''   ...++++++#|   |--'''  ....++++++|",
            "|-o-'''   ...+++x+|   |-o--'''  ....++x+|",
            "h2",
            "|+x++...   ''---o-|",
            "|#+++++...  '''---|",
            "|###+++++...  '''-|",
            "|#####+++++...  ''|",
            "|#######+++++...  |",
            "|#########+++++.. |",
            "|###########+++++.|",
            "|#############++++|",
            "|#o#############x+|",
            "  scale low =-' .+# high   o 0   x 1",
        ])
    }

    @Test func oneNeuronLarge() throws {
        #expect(try PlotTests.output(of: "plot boundary layer=1 unit=2 width=34 height=8", after: "set charset ascii\nexample xor") == [
            "h2 (layer 1 unit 2, sigmoid): xor",
            "x2",
            "1.0 ++x+++...   ''''---o-",
            "    |##++++++...   '''---",
            "    |#####+++++...   ''''",
            "    |#######++++++...   '",
            "0.5 +##########+++++...",
            "    |############++++++..",
            "    |###############+++++",
            "  0 +#o###############+x+",
            "    +-+-------+--------+-",
            "      0      0.5      1.0        x1",
            "  scale 0 =-' .+# 1   o 0   x 1",
        ])
    }

    /// The braille charset draws positive shares in dots, never in the sample marks' shapes.
    @Test func unicodeMapsKeepSamplesApart() throws {
        let lines = try PlotTests.output(of: "plot neurons width=40", after: "example xor")
        let maps = lines.filter { $0.hasPrefix("│") }.joined()
        #expect(maps.contains("⠿") && maps.contains { "▓▒░".contains($0) })
        #expect(maps.filter { $0 == "●" }.count == 3 * 2)  // two class-0 samples on each of three maps
        #expect(maps.filter { $0 == "▲" }.count == 3 * 2)
        #expect(!lines.joined().contains("\u{1B}"))
    }

    @Test func colourWhenAllowed() throws {
        let (session, transcript) = try SessionTests.session(after: "example xor")
        session.palette = Palette(isEnabled: true)
        transcript.lines = []
        #expect(session.run(source: "plot neurons width=40") == .completed)
        #expect(transcript.lines.joined().contains("\u{1B}[48;5;"))
    }

    @Test func unboundedActivationsAreSymmetricAboutZero() {
        let relu = NeuronMapPlot.scale(of: .relu, values: [[0, 2], [3, -1]])
        #expect(relu.centre == 0 && relu.magnitude == 3)
        let tanh = NeuronMapPlot.scale(of: .tanh, values: [[0.1]])
        #expect(tanh.centre == 0 && tanh.magnitude == 1)
        let sigmoid = NeuronMapPlot.scale(of: .sigmoid, values: [[0.1]])
        #expect(sigmoid.centre == 0.5 && sigmoid.magnitude == 0.5)
        let layer = NeuronMapPlot.Layer(heading: "", centre: 0.5, magnitude: 0.5, maps: [])
        #expect(NeuronMapPlot.share(1, in: layer) == 1)
        #expect(NeuronMapPlot.share(0.5, in: layer) == 0)
        #expect(NeuronMapPlot.share(-7, in: layer) == -1)
    }

    /// Small terminal maps leave out samples that would cover more than a quarter of them; the
    /// large map and the SVG keep them.
    @Test func crowdedSmallMapsLeaveTheSamplesOut() throws {
        let setup = "set charset ascii\ndata circles n=100 seed=1\ninput 2\nlayer 2 tanh\nlayer 1 sigmoid"
        let grid = try PlotTests.output(of: "plot neurons width=40", after: setup)
        #expect(!grid.filter { $0.hasPrefix("|") }.joined().contains { "ox".contains($0) })
        #expect(grid.last == "  scale low =-' .+# high")
        let large = try PlotTests.output(of: "plot boundary unit=1 width=60", after: setup)
        let maps = large.filter { $0.contains("|") || $0.contains("+") }.dropLast(2).joined()
        #expect(maps.contains("o") && maps.contains("x"))
    }

    /// Engineered features: the maps are still of the raw plane of x1 and x2.
    @Test func featuresKeepTheRawPlane() throws {
        let lines = try PlotTests.output(of: "plot neurons width=60", after: """
            data circles n=20 seed=3 features=[x1^2, x2^2, x1*x2]
            input 3
            layer 2 tanh
            layer 1 sigmoid
            """)
        #expect(lines.first?.contains("every neuron over the plane") == true)
        #expect(lines.contains { $0.hasPrefix("layer 1: tanh") })
    }

    static let errors: [(setup: String, source: String, message: String)] = [
        ("data iris\ninput 4\nlayer 3 softmax", "plot neurons", "'plot neurons' draws the plane of two inputs, and the data has 4 inputs"),
        ("data xor", "plot neurons", "'plot neurons' needs a network: start with 'input N'"),
        ("example xor", "plot boundary layer=3", "layer must be 1 to 2, the network's layers, got 3"),
        ("example xor", "plot boundary unit=2", "unit must be 1 to 1, the units of layer 2, got 2"),
        ("example xor", "plot neurons layer=1", "option 'layer' applies to plot boundary only"),
        ("example xor", "plot loss unit=1", "option 'unit' applies to plot boundary only"),
    ]

    @Test(arguments: errors)
    func diagnostics(_ testCase: (setup: String, source: String, message: String)) throws {
        #expect(try PlotTests.failure(of: testCase.source, after: testCase.setup) == testCase.message)
    }

    // MARK: - SVG

    /// The elements of an SVG document matching an XPath over local names, by Foundation's parser
    /// (which rejects a document that is not well formed).
    static func elements(_ path: String, _ name: String, class kind: String? = nil) throws -> [XMLElement] {
        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: path), options: [])
        let condition = kind.map { " and @class='\($0)'" } ?? ""
        return try document.nodes(forXPath: "//*[local-name()='\(name)'\(condition)]").compactMap { $0 as? XMLElement }
    }

    /// The string values of the nodes an XPath selects (attributes, say).
    static func values(_ path: String, _ xpath: String) throws -> [String] {
        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: path), options: [])
        return try document.nodes(forXPath: xpath).map { $0.stringValue ?? "" }
    }

    @Test func everyNeuronAsSVG() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let path = folder + "/n.svg"
        _ = try SessionTests.session(after: "example xor\nplot neurons to \"\(path)\"")
        let root = try #require(try XMLDocument(contentsOf: URL(fileURLWithPath: path), options: []).rootElement())
        #expect(root.name == "svg")
        #expect(root.uri == "http://www.w3.org/2000/svg")
        #expect(try Self.elements(path, "title").first?.stringValue == "every neuron over the plane: xor")
        #expect(try Self.values(path, "//*[local-name()='g' and @class='layer']/@data-name") == ["layer 1: sigmoid", "layer 2: sigmoid"])
        #expect(try Self.values(path, "//*[local-name()='g' and @class='map']/@data-name") == ["h1", "h2", "o1"])
        // Each map has its cells and its samples.
        #expect(try Self.values(path, "(//*[local-name()='g' and @class='map'])[1]//*[local-name()='circle']/@cx").count == 4)
        let side = SVGPlot.neuronMapResolution
        #expect(try Self.elements(path, "rect", class: "cell").count == 3 * side * side)
        #expect(try Self.elements(path, "circle", class: "training").count == 3 * 4)
        #expect(try Self.elements(path, "g", class: "scale").count == 1)
        #expect(try Self.elements(path, "g", class: "legend").count == 1)
    }

    @Test func oneNeuronAsSVG() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let path = folder + "/u.svg"
        _ = try SessionTests.session(after: """
            data moons n=40 seed=1
            split test=0.25 seed=1
            input 2
            layer 4 relu
            layer 1 sigmoid
            plot boundary layer=1 unit=3 to "\(path)"
            """)
        #expect(try Self.elements(path, "title").first?.stringValue?.hasPrefix("a1[3] (layer 1 unit 3, relu)") == true
                || Self.elements(path, "title").first?.stringValue?.hasPrefix("h3 (layer 1 unit 3, relu)") == true)
        #expect(try Self.elements(path, "rect", class: "cell").count == SVGPlot.regionResolution * SVGPlot.regionResolution)
        #expect(try Self.elements(path, "circle", class: "training").count == 30)
        #expect(try Self.elements(path, "circle", class: "test").count == 10)
        #expect(try Self.elements(path, "g", class: "axes").count == 1)
        #expect(try Self.elements(path, "text", class: "x-label").first?.stringValue == "x1")
    }
}
