import CSealKernels
import Foundation
import SealModel
import SealTensor
import Testing

/// Weights live in huge-page slabs (`seal_memory.h`): packed in load order, each slab returned
/// to the kernel when its last allocation is freed. Each test uses an arena of its own, so that
/// models loaded by tests running alongside cannot move its counts.
@Suite("Weight memory")
struct WeightMemoryTests {
    static let slab = Int(SEAL_WEIGHT_SLAB_BYTES)

    private static func usage(_ arena: OpaquePointer) -> (mappings: Int, bytes: Int) {
        var mappings = 0, bytes = 0
        seal_weight_memory_usage(arena, &mappings, &bytes)
        return (mappings, bytes)
    }

    private static func address(_ pointer: UnsafeMutableRawPointer) -> Int { Int(bitPattern: pointer) }

    @Test("small allocations lie back to back in one slab, 64-byte aligned and zeroed")
    func packing() throws {
        let arena = try #require(seal_weight_arena_create())
        let sizes = [100, 1000, 64, 1]
        let pointers = try sizes.map { try #require(seal_weight_arena_allocate(arena, $0)) }
        var expected = Self.address(pointers[0])
        for (pointer, size) in zip(pointers, sizes) {
            #expect(Self.address(pointer) == expected)
            #expect(Self.address(pointer) % 64 == 0)
            let bytes = UnsafeRawBufferPointer(start: pointer, count: size)
            #expect(bytes.allSatisfy { $0 == 0 })
            expected += (size + 63) / 64 * 64
        }
        // The first allocation follows the slab's header, and the slab is aligned to its size.
        #expect((Self.address(pointers[0]) - 64) % Self.slab == 0)
        #expect(Self.usage(arena) == (1, Self.slab))
        for pointer in pointers { seal_weight_memory_free(pointer) }
        #expect(Self.usage(arena) == (0, 0))
        #expect(seal_weight_arena_destroy(arena) == 0)
    }

    @Test("a full slab stays mapped until its last allocation is freed, and only until then")
    func slabLifetime() throws {
        let arena = try #require(seal_weight_arena_create())
        let quarter = Self.slab / 4  // the largest size still carved from a slab
        let first = try (0..<3).map { _ in try #require(seal_weight_arena_allocate(arena, quarter)) }
        #expect(Self.usage(arena).mappings == 1)
        let second = try #require(seal_weight_arena_allocate(arena, quarter))  // three quarters and the header: full
        #expect(Self.usage(arena).mappings == 2)
        seal_weight_memory_free(first[0])
        seal_weight_memory_free(first[1])
        #expect(Self.usage(arena).mappings == 2)
        seal_weight_memory_free(first[2])
        #expect(Self.usage(arena) == (1, Self.slab))
        #expect(seal_weight_arena_destroy(arena) == -1, "an arena with live memory must refuse to go")
        seal_weight_memory_free(second)
        #expect(Self.usage(arena) == (0, 0))
        // The next allocation opens a fresh slab rather than reusing freed space.
        let again = try #require(seal_weight_arena_allocate(arena, 10))
        #expect(Self.usage(arena).mappings == 1)
        seal_weight_memory_free(again)
        #expect(seal_weight_arena_destroy(arena) == 0)
    }

    @Test("an allocation over a quarter slab gets an aligned mapping of its own, in whole small pages")
    func largeAllocation() throws {
        let arena = try #require(seal_weight_arena_create())
        let small = try #require(seal_weight_arena_allocate(arena, 4096))
        let size = 12 << 20 + 5
        let large = try #require(seal_weight_arena_allocate(arena, size))
        #expect((Self.address(large) - 64) % Self.slab == 0)
        let mapped = (64 + (size + 63) / 64 * 64 + 4095) / 4096 * 4096
        #expect(Self.usage(arena) == (2, Self.slab + mapped))
        large.storeBytes(of: 0xAB, toByteOffset: size - 1, as: UInt8.self)
        seal_weight_memory_free(large)
        #expect(Self.usage(arena) == (1, Self.slab))
        seal_weight_memory_free(small)
        #expect(seal_weight_arena_destroy(arena) == 0)
    }

    @Test("sizes beyond any address space are refused with NULL, not a trap")
    func hostileSizes() throws {
        let arena = try #require(seal_weight_arena_create())
        for size in [Int.max, 1 << 62] {
            #expect(seal_weight_arena_allocate(arena, size) == nil)
        }
        #expect(Self.usage(arena) == (0, 0))
        #expect(seal_weight_arena_destroy(arena) == 0)
    }

    /// The kernel's setting: `[always]`, `[madvise]` or `[never]`.
    static var transparentHugePages: String {
        (try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)) ?? "absent"
    }

    @Test("weight memory is backed by huge pages when the kernel grants them to madvise",
          .enabled(if: !transparentHugePages.contains("[never]") && transparentHugePages != "absent",
                   "this kernel's transparent huge pages are off"))
    func hugePages() throws {
        let arena = try #require(seal_weight_arena_create())
        let size = 8 << 20
        let pointer = try #require(seal_weight_arena_allocate(arena, size))
        defer {
            seal_weight_memory_free(pointer)
            _ = seal_weight_arena_destroy(arena)
        }
        pointer.initializeMemory(as: UInt8.self, repeating: 1, count: size)
        let kilobytes = try Self.anonymousHugeKilobytes(containing: pointer)
        // Three 2 MiB pages lie wholly inside the allocation; the kernel may fail to find free
        // huge pages under fragmentation, but not for all of them on an idle machine.
        #expect(kilobytes >= 2048, "AnonHugePages of the slab: \(kilobytes) kB")
        // The control: under `madvise`, the same bytes from the heap get no huge page.
        if Self.transparentHugePages.contains("[madvise]") {
            let heap = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
            defer { heap.deallocate() }
            heap.initializeMemory(as: UInt8.self, repeating: 1, count: size)
            #expect(try Self.anonymousHugeKilobytes(containing: heap) == 0)
        }
    }

    /// `AnonHugePages` of the mapping in /proc/self/smaps that holds `pointer`.
    static func anonymousHugeKilobytes(containing pointer: UnsafeMutableRawPointer) throws -> Int {
        // Read to the end: proc files report a size of 0, which reads that trust it stop at.
        guard let file = FileHandle(forReadingAtPath: "/proc/self/smaps"),
              let data = try file.readToEnd() else { throw WeightMemoryTestError.mappingNotFound }
        let smaps = String(decoding: data, as: UTF8.self)
        let target = UInt(bitPattern: Self.address(pointer))
        var inside = false
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = fields.first, range.contains("-"), !range.hasSuffix(":") {
                let bounds = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
                inside = bounds.count == 2 && bounds[0] <= target && target < bounds[1]
            } else if inside, fields.first == "AnonHugePages:", fields.count >= 2, let value = Int(fields[1]) {
                return value
            }
        }
        throw WeightMemoryTestError.mappingNotFound
    }

    @Test("a loaded model's fp32 matrices and norms live in weight memory; scratch stays on the heap")
    func loadedWeights() throws {
        let url = try #require(TestPaths.model(TestPaths.tinycoder), "model not fetched: run scripts/fetch-models.sh")
        let weights = try LanguageModel.load(from: url, weights: .f32).transformer.weights
        let fp32 = try #require(weights.float32)
        let layer = try #require(fp32.layers.first)
        for buffer in [fp32.tokenEmbedding, fp32.lmHead, fp32.outputNorm, layer.query, layer.down, layer.attentionNorm] {
            #expect(buffer.memory == .weights)
        }
        #expect(FloatBuffer(count: 16).memory == .heap)
    }
}

enum WeightMemoryTestError: Error {
    case mappingNotFound
}
