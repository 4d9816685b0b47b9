using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace KeyVault.KeyFile.Argon2;

/// <summary>Sees the block memory at a moment of a derivation (tests only): its address and length in bytes.</summary>
internal delegate void BlockMemoryObserver(nint address, long length);

/// <summary>Observation points inside a derivation, so tests can check what the memory holds at each.</summary>
internal sealed class Argon2TestHooks
{
    /// <summary>After each segment, on the worker thread that filled it (several workers may call at once).</summary>
    public BlockMemoryObserver? AfterSegment { get; init; }

    /// <summary>Just before the block memory is returned to the system, whatever ended the derivation.</summary>
    public BlockMemoryObserver? BeforeFree { get; init; }
}

/// <summary>
/// How far a derivation is, readable from any thread while it runs, in units of work: one per segment filled (lanes ×
/// 4 slices × passes) and one per segment of fresh memory brought in (lanes × 4). The second kind is the system's
/// work: a page is faulted in and zeroed before the first pass can write it, which on a 1 GiB derivation costs about
/// as much as a pass (several times as much on some virtual machines). Counting segments filled alone made the first
/// pass, the one that pays for the memory, crawl and the later ones race.
/// </summary>
internal sealed class Argon2Progress
{
    private long _filled;
    private long _touched;
    private long _segments = 1;
    private long _memorySegments;

    /// <summary>Work done over all the work, 0 to 1; it never goes back.</summary>
    public double Fraction
    {
        get
        {
            var memory = Interlocked.Read(ref _memorySegments);
            var filled = Interlocked.Read(ref _filled);
            // A segment the first pass has filled is in memory, whether the toucher or the worker brought it in.
            var touched = Math.Min(memory, Math.Max(Interlocked.Read(ref _touched), filled));
            return Math.Min(1.0, (double)(filled + touched) / (Interlocked.Read(ref _segments) + memory));
        }
    }

    /// <summary>Segments filled so far (tests).</summary>
    internal long SegmentsFilled => Interlocked.Read(ref _filled);

    internal void Start(long segments, long memorySegments)
    {
        Interlocked.Exchange(ref _filled, 0);
        Interlocked.Exchange(ref _touched, 0);
        Interlocked.Exchange(ref _memorySegments, memorySegments);
        Interlocked.Exchange(ref _segments, segments);
    }

    internal void SegmentDone() => Interlocked.Increment(ref _filled);

    internal void MemoryTouched() => Interlocked.Increment(ref _touched);
}

/// <summary>
/// Argon2id, version 0x13, written from RFC 9106. The block memory is one native allocation, touched and later wiped
/// in parallel by the lane workers; it is wiped before release on every path (completion, cancellation, exception).
/// Lanes are filled by min(p, processor count) threads that meet at each of the four slice boundaries of a pass,
/// as §3.4 requires: a block may reference another lane's blocks only from finished slices.
/// </summary>
internal static unsafe class Argon2Core
{
    /// <summary>64-bit words in a 1 KiB block.</summary>
    public const int BlockWords = 128;

    private const int BlockBytes = 1024;
    private const uint SyncPoints = 4;
    private const uint Version = 0x13;
    private const uint TypeArgon2id = 2;
    private const uint AddressesPerBlock = 128;
    private const int CancelCheckEvery = 256;

    /// <summary>
    /// Writes Argon2id(P = <paramref name="password"/>, S = <paramref name="salt"/>, K = <paramref name="secret"/>,
    /// X = <paramref name="associatedData"/>, m, t, p) into <paramref name="tag"/> (its length is T).
    /// Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires; the memory is
    /// wiped and freed first.
    /// </summary>
    public static void Argon2id(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> secret,
        ReadOnlySpan<byte> associatedData, uint memoryKiB, uint passes, uint lanes, Span<byte> tag,
        CancellationToken cancellationToken = default, Argon2Progress? progress = null, Argon2Engine? engine = null,
        Argon2TestHooks? hooks = null)
    {
        // The ranges of RFC 9106 §3.1 that a span can reach.
        if (lanes is < 1 or > 0xFFFFFF) throw new ArgumentOutOfRangeException(nameof(lanes), "p must be 1 to 2^24-1");
        if (passes < 1) throw new ArgumentOutOfRangeException(nameof(passes), "t must be at least 1");
        if (memoryKiB < 8UL * lanes) throw new ArgumentOutOfRangeException(nameof(memoryKiB), "m must be at least 8p");
        if (tag.Length < 4) throw new ArgumentOutOfRangeException(nameof(tag), "T must be at least 4 bytes");
        if (salt.Length < 8) throw new ArgumentOutOfRangeException(nameof(salt), "S must be at least 8 bytes");
        var chosen = engine ?? Argon2Engines.Best;
        if (Argon2Engines.WhyUnsupported(chosen) is { } why) throw new PlatformNotSupportedException(why);

        Span<byte> h0 = stackalloc byte[64];
        Span<byte> final = stackalloc byte[BlockBytes];
        try
        {
            InitialHash(h0, password, salt, secret, associatedData, memoryKiB, passes, lanes, (uint)tag.Length);

            // m' = 4p·floor(m / 4p) blocks, q = m'/p per lane, q/4 per segment (§3.2).
            var segmentLength = memoryKiB / (SyncPoints * lanes);
            var layout = new Layout
            {
                Lanes = lanes,
                Passes = passes,
                SegmentLength = segmentLength,
                LaneLength = segmentLength * SyncPoints,
                TotalBlocks = segmentLength * SyncPoints * lanes,
            };
            progress?.Start((long)passes * SyncPoints * lanes, (long)SyncPoints * lanes);

            using var memory = new BlockMemory((nuint)layout.TotalBlocks * BlockBytes, hooks);
            layout.Memory = (ulong*)memory.Address;
            var run = new Run(layout, chosen, h0, cancellationToken, progress, hooks, memory);
            run.Execute(final);
            cancellationToken.ThrowIfCancellationRequested();
            Blake2b.HPrime(tag, final);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(h0);
            CryptographicOperations.ZeroMemory(final);
        }
    }

    /// <summary>H0 = H^64(LE32(p) ‖ LE32(T) ‖ LE32(m) ‖ LE32(t) ‖ LE32(v) ‖ LE32(y) ‖ LE32(|P|) ‖ P ‖ … ‖ LE32(|X|) ‖ X), §3.2 step 1.</summary>
    private static void InitialHash(Span<byte> h0, ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> secret,
        ReadOnlySpan<byte> associatedData, uint memoryKiB, uint passes, uint lanes, uint tagLength)
    {
        var h = new Blake2b(64);
        try
        {
            h.UpdateLe32(lanes);
            h.UpdateLe32(tagLength);
            h.UpdateLe32(memoryKiB);
            h.UpdateLe32(passes);
            h.UpdateLe32(Version);
            h.UpdateLe32(TypeArgon2id);
            h.UpdateLe32((uint)password.Length);
            h.Update(password);
            h.UpdateLe32((uint)salt.Length);
            h.Update(salt);
            h.UpdateLe32((uint)secret.Length);
            h.Update(secret);
            h.UpdateLe32((uint)associatedData.Length);
            h.Update(associatedData);
            h.Final(h0);
        }
        finally
        {
            h.Dispose();
        }
    }

    /// <summary>Runs one compression on the given engine (used by the known-answer check and the tests).</summary>
    internal static void Compress(Argon2Engine engine, ulong* state, ulong* scratch, ulong* refBlock, ulong* next, bool withXor)
    {
        switch (engine)
        {
            case Argon2Engine.Avx512: Avx2Kernel<Avx512Rotate>.Fill(state, scratch, refBlock, next, withXor); break;
            case Argon2Engine.Avx2: Avx2Kernel<Avx2Rotate>.Fill(state, scratch, refBlock, next, withXor); break;
            case Argon2Engine.AdvSimd: Vector128Kernel<AdvSimdOps>.Fill(state, scratch, refBlock, next, withXor); break;
            case Argon2Engine.Vector128: Vector128Kernel<PortableOps>.Fill(state, scratch, refBlock, next, withXor); break;
            default: ScalarKernel.Fill(state, scratch, refBlock, next, withXor); break;
        }
    }

    private struct Layout
    {
        public ulong* Memory;
        public uint Lanes, Passes, SegmentLength, LaneLength, TotalBlocks;

        public readonly ulong* Block(uint index) => Memory + (nuint)index * BlockWords;
    }

    /// <summary>The lane workers of one derivation and what they share.</summary>
    private sealed class Run
    {
        private readonly Layout _layout;
        private readonly Argon2Engine _engine;
        private readonly byte[] _h0;
        private readonly CancellationToken _cancel;
        private readonly Argon2Progress? _progress;
        private readonly Argon2TestHooks? _hooks;
        private readonly BlockMemory _memory;
        private readonly int _workers;
        private readonly Barrier _barrier;
        private volatile bool _stop;
        private volatile bool _touchStop;
        private bool _stopAtBarrier;
        private ExceptionDispatchInfo? _failure;
        private ulong* _final;

        public Run(Layout layout, Argon2Engine engine, ReadOnlySpan<byte> h0, CancellationToken cancel, Argon2Progress? progress,
            Argon2TestHooks? hooks, BlockMemory memory)
        {
            _layout = layout;
            _engine = engine;
            // Pinned so the GC never leaves a copy of H0 behind; wiped in Execute.
            _h0 = GC.AllocateArray<byte>(72, pinned: true);
            h0[..64].CopyTo(_h0);
            _cancel = cancel;
            _progress = progress;
            _hooks = hooks;
            _memory = memory;
            _workers = (int)Math.Min(layout.Lanes, (uint)Math.Max(1, Environment.ProcessorCount));
            // Every worker leaves a phase with the same answer to "stop?", so none waits at a barrier the others skip.
            _barrier = new Barrier(_workers, _ => _stopAtBarrier = _stop || _cancel.IsCancellationRequested);
        }

        /// <summary>Fills the memory, leaves the XOR of the lanes' last blocks in <paramref name="final"/>, and wipes the memory.</summary>
        public void Execute(Span<byte> final)
        {
            fixed (byte* f = final)
            {
                _final = (ulong*)f;
                var threads = new List<Thread>(_workers - 1);
                Thread? toucher = null;
                Exception? startFailure = null;
                try
                {
                    // Page faults of the first pass happen on this thread, ahead of the workers, instead of inside them.
                    var t0 = new Thread(TouchAhead, 256 * 1024) { IsBackground = true, Name = "Argon2 memory toucher" };
                    t0.Start();
                    toucher = t0;
                    for (var w = 1; w < _workers; w++)
                    {
                        var index = w;
                        threads.Add(new Thread(() => Work(index), 256 * 1024) { IsBackground = true, Name = "Argon2 lane worker" });
                    }
                    var started = 0;
                    foreach (var t in threads)
                    {
                        try
                        {
                            t.Start();
                            started++;
                        }
                        catch (Exception e)
                        {
                            startFailure = e;
                            break;
                        }
                    }
                    if (started < threads.Count)
                    {
                        // The workers already running still meet this thread at every barrier, stop after the first,
                        // and wipe their lanes.
                        _stop = true;
                        _barrier.RemoveParticipants(threads.Count - started);
                    }
                    Work(0);
                    for (var i = 0; i < started; i++) threads[i].Join();
                }
                finally
                {
                    _touchStop = true;
                    toucher?.Join();
                    CryptographicOperations.ZeroMemory(_h0);
                    _barrier.Dispose();
                    _final = null;
                }
                if (startFailure is not null) ExceptionDispatchInfo.Throw(startFailure);
            }
            _failure?.Throw();
        }

        private void Work(int worker)
        {
            var work = (ulong*)NativeMemory.AlignedAlloc(5 * BlockBytes, 64);
            try
            {
                Guard(() =>
                {
                    for (var lane = (uint)worker; lane < _layout.Lanes; lane += (uint)_workers) FirstBlocks(lane);
                });
                _barrier.SignalAndWait();
                for (uint pass = 0; pass < _layout.Passes && !_stopAtBarrier; pass++)
                {
                    for (uint slice = 0; slice < SyncPoints && !_stopAtBarrier; slice++)
                    {
                        for (var lane = (uint)worker; lane < _layout.Lanes && !_stop; lane += (uint)_workers)
                        {
                            var (p, s, l) = (pass, slice, lane);
                            Guard(() =>
                            {
                                if (!FillSegment(p, l, s, work)) return;
                                _progress?.SegmentDone();
                                _hooks?.AfterSegment?.Invoke((nint)_layout.Memory, (long)_layout.TotalBlocks * BlockBytes);
                            });
                        }
                        _barrier.SignalAndWait();
                    }
                }
                if (worker == 0 && !_stopAtBarrier) Guard(FinalBlock);
                // Nobody may wipe a lane while worker 0 still reads the last blocks.
                _barrier.SignalAndWait();
            }
            finally
            {
                NativeMemory.Clear(work, 5 * BlockBytes);
                NativeMemory.AlignedFree(work);
                WipeLanes(worker);
            }
        }

        private void Guard(Action action)
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                _stop = true;
            }
        }

        /// <summary>
        /// Faults the memory in, segment by segment in the order the first pass fills it, while the workers already run:
        /// the kernel's page faults and zeroing then cost the workers nothing when a core is free. Each page gets an
        /// atomic OR with zero, a write that cannot change a value a worker has already stored there.
        /// </summary>
        private void TouchAhead()
        {
            try
            {
                var segmentBytes = (nuint)_layout.SegmentLength * BlockBytes;
                for (uint slice = 0; slice < SyncPoints; slice++)
                {
                    for (uint lane = 0; lane < _layout.Lanes; lane++)
                    {
                        if (_touchStop || _stop) return;
                        var start = (byte*)_layout.Block(lane * _layout.LaneLength + slice * _layout.SegmentLength);
                        for (nuint off = 0; off < segmentBytes; off += 4096) Interlocked.Or(ref *(int*)(start + off), 0);
                        _progress?.MemoryTouched();
                    }
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                _stop = true;
            }
        }

        private void WipeLanes(int worker)
        {
            for (var lane = (uint)worker; lane < _layout.Lanes; lane += (uint)_workers)
                BlockMemory.Wipe((byte*)_layout.Block(lane * _layout.LaneLength), (nuint)_layout.LaneLength * BlockBytes);
            if (Interlocked.Increment(ref _memory.WorkersDone) == _workers) _memory.WipedByWorkers = true;
        }

        /// <summary>B[i][0] = H'(H0 ‖ LE32(0) ‖ LE32(i)), B[i][1] = H'(H0 ‖ LE32(1) ‖ LE32(i)) (§3.2 steps 5 and 6).</summary>
        private void FirstBlocks(uint lane)
        {
            Span<byte> input = stackalloc byte[72];
            try
            {
                _h0.AsSpan(0, 64).CopyTo(input);
                BinaryPrimitives.WriteUInt32LittleEndian(input[68..], lane);
                for (uint j = 0; j < 2; j++)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(input[64..], j);
                    Blake2b.HPrime(new Span<byte>(_layout.Block(lane * _layout.LaneLength + j), BlockBytes), input);
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(input);
            }
        }

        private void FinalBlock()
        {
            var last = _layout.LaneLength - 1;
            new Span<ulong>(_layout.Block(last), BlockWords).CopyTo(new Span<ulong>(_final, BlockWords));
            for (uint lane = 1; lane < _layout.Lanes; lane++)
            {
                var b = _layout.Block(lane * _layout.LaneLength + last);
                for (var i = 0; i < BlockWords; i++) _final[i] ^= b[i];
            }
        }

        private bool FillSegment(uint pass, uint lane, uint slice, ulong* work) => _engine switch
        {
            Argon2Engine.Avx512 => FillSegment<Avx2Kernel<Avx512Rotate>>(_layout, pass, lane, slice, work, _cancel),
            Argon2Engine.Avx2 => FillSegment<Avx2Kernel<Avx2Rotate>>(_layout, pass, lane, slice, work, _cancel),
            Argon2Engine.AdvSimd => FillSegment<Vector128Kernel<AdvSimdOps>>(_layout, pass, lane, slice, work, _cancel),
            Argon2Engine.Vector128 => FillSegment<Vector128Kernel<PortableOps>>(_layout, pass, lane, slice, work, _cancel),
            _ => FillSegment<ScalarKernel>(_layout, pass, lane, slice, work, _cancel),
        };
    }

    /// <summary>
    /// Fills one segment (§3.4): each block from the previous block of its lane and a reference block chosen from the
    /// previous block's first word (data-dependent) or, in the first half of the first pass, from address blocks
    /// (data-independent). Returns false when cancelled part-way.
    /// </summary>

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool FillSegment<TKernel>(in Layout l, uint pass, uint lane, uint slice, ulong* work, CancellationToken cancel)
        where TKernel : struct, IBlockKernel
    {
        unchecked
        {
            ulong* state = work, scratch = work + BlockWords, address = work + 2 * BlockWords, input = work + 3 * BlockWords,
                zero = work + 4 * BlockWords;
            var dataIndependent = pass == 0 && slice < SyncPoints / 2;
            if (dataIndependent)
            {
                // Z = LE64(r) ‖ LE64(l) ‖ LE64(sl) ‖ LE64(m') ‖ LE64(t) ‖ LE64(y) ‖ LE64(i) ‖ zeros (§3.4.1.1).
                new Span<ulong>(input, BlockWords).Clear();
                input[0] = pass;
                input[1] = lane;
                input[2] = slice;
                input[3] = l.TotalBlocks;
                input[4] = l.Passes;
                input[5] = TypeArgon2id;
            }

            uint start = 0;
            if (pass == 0 && slice == 0)
            {
                start = 2;
                if (dataIndependent) NextAddresses<TKernel>(address, input, zero, scratch);
            }

            var laneStart = lane * l.LaneLength;
            var current = laneStart + slice * l.SegmentLength + start;
            var previous = current == laneStart ? laneStart + l.LaneLength - 1 : current - 1;
            // The state always holds the previous block, so the data-dependent index is read from it, not memory.
            new Span<ulong>(l.Block(previous), BlockWords).CopyTo(new Span<ulong>(state, BlockWords));

            var sameLaneArea = pass == 0 ? slice * l.SegmentLength - 1 : l.LaneLength - l.SegmentLength - 1;
            var otherLaneArea = pass == 0 ? slice * l.SegmentLength : l.LaneLength - l.SegmentLength;
            var startPosition = pass == 0 || slice == SyncPoints - 1 ? 0 : (slice + 1) * l.SegmentLength;
            var withXor = pass != 0;

            for (var i = start; i < l.SegmentLength; i++, current++)
            {
                if ((i & (CancelCheckEvery - 1)) == 0 && cancel.IsCancellationRequested) return false;

                ulong pseudoRandom;
                if (dataIndependent)
                {
                    if (i % AddressesPerBlock == 0) NextAddresses<TKernel>(address, input, zero, scratch);
                    pseudoRandom = address[i % AddressesPerBlock];
                }
                else
                {
                    pseudoRandom = state[0];
                }

                // J2 picks the lane (never another lane in the first slice of the first pass), J1 the block (§3.4.2).
                var refLane = pass == 0 && slice == 0 ? lane : (uint)((pseudoRandom >> 32) % l.Lanes);
                uint areaSize;
                if (refLane == lane) areaSize = sameLaneArea + i;
                else areaSize = i == 0 ? otherLaneArea - 1 : otherLaneArea;
                ulong x = (uint)pseudoRandom;
                x = (x * x) >> 32;
                var relative = areaSize - 1 - ((areaSize * x) >> 32);
                var refIndex = (uint)((startPosition + relative) % l.LaneLength);

                TKernel.Fill(state, scratch, l.Block(refLane * l.LaneLength + refIndex), l.Block(current), withXor);
            }
            return true;
        }
    }

    /// <summary>The next block of 128 addresses: G(0, G(0, Z ‖ ++i)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void NextAddresses<TKernel>(ulong* address, ulong* input, ulong* zero, ulong* scratch) where TKernel : struct, IBlockKernel
    {
        unchecked
        {
            input[6]++;
            new Span<ulong>(zero, BlockWords).Clear();
            TKernel.Fill(zero, scratch, input, address, false);
            new Span<ulong>(zero, BlockWords).Clear();
            TKernel.Fill(zero, scratch, address, address, false);
        }
    }

    /// <summary>The block array: one aligned native allocation, wiped before it is freed.</summary>
    internal sealed class BlockMemory : IDisposable
    {
        private readonly Argon2TestHooks? _hooks;
        private readonly nuint _length;

        /// <summary>Workers that have wiped their lanes; when all have, the final full wipe is not needed.</summary>
        public int WorkersDone;

        /// <summary>True once every lane was wiped by its worker.</summary>
        public volatile bool WipedByWorkers;

        public BlockMemory(nuint length, Argon2TestHooks? hooks)
        {
            _hooks = hooks;
            _length = length;
            // Page-aligned. No madvise(MADV_HUGEPAGE): on the benchmark machine the kernel's synchronous compaction for
            // huge pages cost 1.3 s of system time per 1 GiB derivation, more than the TLB misses it saves.
            Address = (byte*)NativeMemory.AlignedAlloc(length, 4096);
        }

        public byte* Address { get; private set; }

        public void Dispose()
        {
            if (Address is null) return;
            try
            {
                if (!WipedByWorkers) Wipe(Address, _length);
                _hooks?.BeforeFree?.Invoke((nint)Address, (long)_length);
            }
            finally
            {
                NativeMemory.AlignedFree(Address);
                Address = null;
            }
        }

        /// <summary>Zeroes <paramref name="length"/> bytes in pieces a span can hold, with a clear the JIT may not drop.</summary>
        public static void Wipe(byte* start, nuint length)
        {
            const int piece = 1 << 30;
            for (nuint off = 0; off < length; off += piece)
                CryptographicOperations.ZeroMemory(new Span<byte>(start + off, (int)Math.Min(piece, length - off)));
        }
    }
}
