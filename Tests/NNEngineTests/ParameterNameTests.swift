import Testing
import NNEngine

@Suite("Weight numbering")
struct ParameterNameTests {
    static func network(_ sizes: [Int]) -> Network {
        var generator = SeededGenerator(seed: 1)
        var network = Network(inputCount: sizes[0])
        for units in sizes.dropFirst() {
            network.appendLayer(units: units, activation: .sigmoid, generator: &generator)
        }
        return network
    }

    /// w1…w8 of a 2-2-2 network as (layer, row, column), 1-based.
    static let mazurNumbering: [(Int, WeightLocation)] = [
        (1, WeightLocation(layer: 1, row: 1, column: 1)),  // i1 → h1
        (2, WeightLocation(layer: 1, row: 1, column: 2)),  // i2 → h1
        (3, WeightLocation(layer: 1, row: 2, column: 1)),  // i1 → h2
        (4, WeightLocation(layer: 1, row: 2, column: 2)),  // i2 → h2
        (5, WeightLocation(layer: 2, row: 1, column: 1)),  // h1 → o1
        (6, WeightLocation(layer: 2, row: 1, column: 2)),  // h2 → o1
        (7, WeightLocation(layer: 2, row: 2, column: 1)),  // h1 → o2
        (8, WeightLocation(layer: 2, row: 2, column: 2)),  // h2 → o2
    ]

    @Test(arguments: mazurNumbering)
    func numberingOfTwoTwoTwoNetwork(_ entry: (Int, WeightLocation)) {
        let network = Self.network([2, 2, 2])
        #expect(network.weightLocation(number: entry.0) == entry.1)
        #expect(network.weightNumber(of: entry.1) == entry.0)
    }

    @Test func numberingRoundTripsOnUnevenNetwork() {
        let network = Self.network([3, 4, 2, 5])
        #expect(network.weightCount == 3 * 4 + 4 * 2 + 2 * 5)
        var seen: [WeightLocation] = []
        for number in 1...network.weightCount {
            let location = network.weightLocation(number: number)
            #expect(location != nil)
            if let location {
                #expect(network.weightNumber(of: location) == number)
                seen.append(location)
            }
        }
        #expect(seen.first == WeightLocation(layer: 1, row: 1, column: 1))
        #expect(seen[12] == WeightLocation(layer: 2, row: 1, column: 1))
        #expect(seen[3] == WeightLocation(layer: 1, row: 2, column: 1))
        #expect(seen.last == WeightLocation(layer: 3, row: 5, column: 2))
    }

    @Test(arguments: [0, -1, 9, 100])
    func numbersOutOfRangeHaveNoLocation(_ number: Int) {
        #expect(Self.network([2, 2, 2]).weightLocation(number: number) == nil)
    }

    @Test(arguments: [
        WeightLocation(layer: 0, row: 1, column: 1), WeightLocation(layer: 3, row: 1, column: 1),
        WeightLocation(layer: 1, row: 3, column: 1), WeightLocation(layer: 1, row: 1, column: 3),
        WeightLocation(layer: 2, row: 0, column: 1), WeightLocation(layer: 2, row: 1, column: 0),
    ])
    func locationsOutOfRangeHaveNoNumber(_ location: WeightLocation) {
        #expect(Self.network([2, 2, 2]).weightNumber(of: location) == nil)
    }

    @Test func networkWithoutLayersHasNoWeights() {
        let network = Network(inputCount: 3)
        #expect(network.weightCount == 0)
        #expect(network.weightLocation(number: 1) == nil)
        #expect(network.outputCount == 3)
        #expect(network.parameterCount == 0)
    }

    @Test func parameterCounts() {
        let network = Self.network([5, 10, 20, 3])
        // (5·10 + 10) + (10·20 + 20) + (20·3 + 3)
        #expect(network.parameterCount == 343)
        #expect(network.weightCount == 310)
        #expect(network.layers.map(\.parameterCount) == [60, 220, 63])
        #expect(network.layers.map(\.units) == [10, 20, 3])
        #expect(network.layers.map(\.inputCount) == [5, 10, 20])
        #expect(network.outputCount == 3)
    }
}
