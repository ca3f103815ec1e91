/// The parts of an ONNX ModelProto that `load` uses, read from its protobuf encoding with every
/// count bounded: the graph's nodes in order, its float and double initializers, the names of
/// its inputs and outputs, and the metadata. Everything else is skipped.
///
/// Field numbers are those of onnx.proto, as `ONNXExport` writes them.
struct ONNXGraph {
    struct Node {
        /// Where the node is in the file's graph, from 1, to name a node without a name.
        var position = 0
        var name = ""
        var operation = ""
        var domain = ""
        var inputs: [String] = []
        var outputs: [String] = []
        var attributes: [String: Attribute] = [:]
    }

    /// An attribute's value, whichever of `f`, `i` and `t` it has.
    struct Attribute {
        var float: Float?
        var integer: Int64?
        /// A `Constant` node's value.
        var tensor: Tensor?
    }

    /// A constant tensor: its shape and values, or why nn cannot use it.
    struct Tensor {
        var dimensions: [Int] = []
        var values: [Double] = []
        /// Set when the tensor is not float or double or its data is elsewhere; only an error if it is used.
        var problem: String?
    }

    static let maximumNodes = 100_000
    static let maximumInitializers = 100_000
    static let maximumNamesPerNode = 64
    static let maximumAttributes = 64
    static let maximumDimensions = 8
    static let maximumMetadata = 1_000

    var nodes: [Node] = []
    var initializers: [String: Tensor] = [:]
    var inputs: [String] = []
    var outputs: [String] = []
    var metadata: [String: String] = [:]
    var hasGraph = false

    /// The model in `bytes`, no tensor holding more than `maxElements` numbers.
    init(_ bytes: [UInt8], maxElements: Int) throws(DataFileError) {
        var model = ProtobufReader(bytes)
        while let field = try model.next() {
            switch (field.number, field.value) {
            case (7, .bytes(let range)):  // graph
                hasGraph = true
                try readGraph(model.message(range), maxElements: maxElements)
            case (14, .bytes(let range)):  // metadata_props
                guard metadata.count < Self.maximumMetadata else { throw .onnxModel("more than \(Self.maximumMetadata) metadata entries") }
                var entry = try model.message(range)
                var key = "", value = ""
                while let field = try entry.next() {
                    if case .bytes(let range) = field.value {
                        if field.number == 1 { key = entry.string(range) }
                        if field.number == 2 { value = entry.string(range) }
                    }
                }
                metadata[key] = value
            default: break
            }
        }
        guard hasGraph else { throw bytes.isEmpty ? .emptyFile : .onnxModel("not an ONNX model: it has no graph") }
    }

    // MARK: - Graph

    private mutating func readGraph(_ reader: ProtobufReader, maxElements: Int) throws(DataFileError) {
        var graph = reader
        while let field = try graph.next() {
            guard case .bytes(let range) = field.value else { continue }
            switch field.number {
            case 1:
                guard nodes.count < Self.maximumNodes else { throw .onnxModel("more than \(Self.maximumNodes) nodes") }
                var node = try Self.node(graph.message(range), maxElements: maxElements)
                node.position = nodes.count + 1
                nodes.append(node)
            case 5:
                guard initializers.count < Self.maximumInitializers else {
                    throw .onnxModel("more than \(Self.maximumInitializers) initializers")
                }
                let (name, tensor) = try Self.tensor(graph.message(range), maxElements: maxElements)
                initializers[name] = tensor
            case 11, 12:  // input, output: ValueInfoProto, of which nn needs the name
                guard inputs.count + outputs.count < Self.maximumInitializers else { throw .onnxModel("too many graph inputs and outputs") }
                var info = try graph.message(range)
                var name = ""
                while let field = try info.next() {
                    if field.number == 1, case .bytes(let range) = field.value { name = info.string(range) }
                }
                if field.number == 11 { inputs.append(name) } else { outputs.append(name) }
            default: break
            }
        }
    }

    private static func node(_ reader: ProtobufReader, maxElements: Int) throws(DataFileError) -> Node {
        var reader = reader
        var node = Node()
        while let field = try reader.next() {
            guard case .bytes(let range) = field.value else { continue }
            switch field.number {
            case 1, 2:
                guard node.inputs.count + node.outputs.count < maximumNamesPerNode else {
                    throw .onnxModel("a node with more than \(maximumNamesPerNode) inputs and outputs")
                }
                if field.number == 1 { node.inputs.append(reader.string(range)) } else { node.outputs.append(reader.string(range)) }
            case 3: node.name = reader.string(range)
            case 4: node.operation = reader.string(range)
            case 7: node.domain = reader.string(range)
            case 5:
                guard node.attributes.count < maximumAttributes else { throw .onnxModel("a node with more than \(maximumAttributes) attributes") }
                var attribute = try reader.message(range)
                var name = ""
                var value = Attribute()
                while let field = try attribute.next() {
                    switch (field.number, field.value) {
                    case (1, .bytes(let range)): name = attribute.string(range)
                    case (2, .fixed32(let bits)): value.float = Float(bitPattern: bits)
                    case (3, .varint(let bits)): value.integer = Int64(bitPattern: bits)
                    case (5, .bytes(let range)): value.tensor = try tensor(attribute.message(range), maxElements: maxElements).1
                    default: break
                    }
                }
                node.attributes[name] = value
            default: break
            }
        }
        return node
    }

    // MARK: - Tensors

    /// TensorProto.DataType names, for the message about a type nn does not read.
    private static let typeNames = [2: "uint8", 3: "int8", 4: "uint16", 5: "int16", 6: "int32", 7: "int64", 8: "string",
                                    9: "bool", 10: "float16", 12: "uint32", 13: "uint64", 16: "bfloat16"]

    private static func tensor(_ reader: ProtobufReader, maxElements: Int) throws(DataFileError) -> (String, Tensor) {
        var reader = reader
        var name = ""
        var tensor = Tensor()
        var dataType: UInt64 = 0
        var raw: Range<Int>?
        var floats: [Double] = []
        var external = false
        var dimensionCount = 0
        func addDimension(_ bits: UInt64) throws(DataFileError) {
            dimensionCount += 1
            guard dimensionCount <= maximumDimensions else { throw .onnxModel("a tensor with more than \(maximumDimensions) dimensions") }
            guard bits <= UInt64(Int32.max) else { throw .onnxModel("a tensor dimension of \(Int64(bitPattern: bits))") }
            tensor.dimensions.append(Int(bits))
        }
        func addValue(_ value: Double) throws(DataFileError) {
            guard floats.count < maxElements else { throw .onnxModel("a tensor of more than \(maxElements) numbers (set max_elements)") }
            floats.append(value)
        }
        while let field = try reader.next() {
            switch (field.number, field.value) {
            case (1, .varint(let bits)): try addDimension(bits)
            case (1, .bytes(let range)):
                for bits in try reader.packedVarints(range, limit: maximumDimensions + 1, what: "tensor dimensions") { try addDimension(bits) }
            case (2, .varint(let type)): dataType = type
            case (8, .bytes(let range)): name = reader.string(range)
            case (9, .bytes(let range)): raw = range
            case (14, .varint(let location)): external = location == 1
            case (4, .fixed32(let bits)): try addValue(Double(Float(bitPattern: bits)))  // float_data
            case (4, .bytes(let range)):
                guard range.count % 4 == 0 else { throw .protobuf("float_data of \(range.count) bytes, not a multiple of 4") }
                for bits in littleEndianWords(reader.file, range, width: 4) { try addValue(Double(Float(bitPattern: UInt32(bits)))) }
            case (10, .fixed64(let bits)): try addValue(Double(bitPattern: bits))  // double_data
            case (10, .bytes(let range)):
                guard range.count % 8 == 0 else { throw .protobuf("double_data of \(range.count) bytes, not a multiple of 8") }
                for bits in littleEndianWords(reader.file, range, width: 8) { try addValue(Double(bitPattern: bits)) }
            default: break
            }
        }
        var count = 1
        for dimension in tensor.dimensions {
            let product = count.multipliedReportingOverflow(by: dimension)
            guard !product.overflow, product.partialValue <= maxElements else {
                throw .onnxModel("initializer '\(name)' has \(product.overflow ? "too many" : String(product.partialValue)) numbers (the limit is \(maxElements): set max_elements)")
            }
            count = product.partialValue
        }
        let width: Int
        switch dataType {
        case 1: width = 4
        case 11: width = 8
        default:
            tensor.problem = "is \(typeNames[Int(dataType)] ?? "of type \(dataType)"), and nn reads float and double tensors"
            return (name, tensor)
        }
        if external {
            tensor.problem = "keeps its data in another file, which nn does not read"
        } else if let raw {
            guard raw.count == count * width else {
                throw .onnxModel("initializer '\(name)' has \(raw.count) bytes of data but its shape needs \(count * width)")
            }
            tensor.values = littleEndianWords(reader.file, raw, width: width).map {
                width == 4 ? Double(Float(bitPattern: UInt32($0))) : Double(bitPattern: $0)
            }
        } else {
            guard floats.count == count else { throw .onnxModel("initializer '\(name)' has \(floats.count) numbers but its shape needs \(count)") }
            tensor.values = floats
        }
        return (name, tensor)
    }

    /// The little-endian words of `width` bytes in `range`, whose length is a multiple of `width`.
    private static func littleEndianWords(_ file: [UInt8], _ range: Range<Int>, width: Int) -> [UInt64] {
        stride(from: range.lowerBound, to: range.upperBound - width + 1, by: width).map { start in
            var bits: UInt64 = 0
            for offset in 0..<width { bits |= UInt64(file[start + offset]) << (8 * UInt64(offset)) }
            return bits
        }
    }
}
