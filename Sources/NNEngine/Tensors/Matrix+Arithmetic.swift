/// Elementwise arithmetic: between matrices of the same shape, and with a scalar on either side.
///
/// `*` between two matrices is the Hadamard (elementwise) product; the matrix product is
/// `Matrix.product`, kept in one place so a faster kernel can replace it.
extension Matrix {
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.zipMap(rhs, +) }
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.zipMap(rhs, -) }
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.zipMap(rhs, *) }
    public static func / (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.zipMap(rhs, /) }

    public static func + (lhs: Matrix, rhs: Double) -> Matrix { lhs.map { $0 + rhs } }
    public static func - (lhs: Matrix, rhs: Double) -> Matrix { lhs.map { $0 - rhs } }
    public static func * (lhs: Matrix, rhs: Double) -> Matrix { lhs.map { $0 * rhs } }
    public static func / (lhs: Matrix, rhs: Double) -> Matrix { lhs.map { $0 / rhs } }

    public static func + (lhs: Double, rhs: Matrix) -> Matrix { rhs.map { lhs + $0 } }
    public static func - (lhs: Double, rhs: Matrix) -> Matrix { rhs.map { lhs - $0 } }
    public static func * (lhs: Double, rhs: Matrix) -> Matrix { rhs.map { lhs * $0 } }
    public static func / (lhs: Double, rhs: Matrix) -> Matrix { rhs.map { lhs / $0 } }

    public static prefix func - (operand: Matrix) -> Matrix { operand.map { -$0 } }
}
