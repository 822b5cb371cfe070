using Grape.Core.Primitives;

namespace Grape.Core.Tests.Primitives;

public class BitSetTests
{
    [Fact]
    public void Set_get_clear_and_count_agree_with_a_bool_array()
    {
        var random = new Random(11);
        var bits = new BitSet();
        var reference = new bool[5000];
        for (int step = 0; step < 20000; step++)
        {
            int index = random.Next(reference.Length);
            if (random.Next(3) == 0)
            {
                Assert.Equal(reference[index], bits.Clear(index));
                reference[index] = false;
            }
            else
            {
                Assert.Equal(!reference[index], bits.Set(index));
                reference[index] = true;
            }
        }
        for (int i = 0; i < reference.Length; i++)
        {
            Assert.Equal(reference[i], bits.Get(i));
        }
        Assert.Equal(reference.Count(x => x), bits.Count);
    }

    [Fact]
    public void Grows_on_demand_and_reads_past_the_end_as_unset()
    {
        var bits = new BitSet(10);
        Assert.Equal(64, bits.Capacity);
        Assert.False(bits.Get(1_000_000));
        Assert.False(bits.Get(-1));
        Assert.False(bits.Clear(1_000_000));
        bits.Set(63);
        bits.Set(64);
        bits.Set(100_000);
        Assert.True(bits.Capacity > 100_000);
        Assert.True(bits.Get(63) && bits.Get(64) && bits.Get(100_000));
        Assert.False(bits.Get(65));
        Assert.Equal(3, bits.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => bits.Set(-1));
    }

    [Fact]
    public void Bytes_round_trip_through_CopyTo_and_LoadFrom()
    {
        var bits = new BitSet();
        int[] set = [0, 1, 7, 8, 63, 64, 65, 127, 128, 999];
        foreach (int i in set)
        {
            bits.Set(i);
        }
        var bytes = new byte[bits.ByteCount];
        Assert.Equal(bytes.Length, bits.CopyTo(bytes));
        Assert.Equal(0b1000_0011, bytes[0]); // bits 0, 1, 7: little-endian bit order within the first byte
        Assert.Equal(1, bytes[1]);

        var loaded = new BitSet();
        loaded.Set(5); // replaced by the load
        loaded.LoadFrom(bytes);
        Assert.Equal(set.Length, loaded.Count);
        for (int i = 0; i < 1100; i++)
        {
            Assert.Equal(set.Contains(i), loaded.Get(i));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => bits.CopyTo(new byte[bits.ByteCount - 1]));
    }

    [Fact]
    public void LoadFrom_pads_a_partial_word()
    {
        var bits = new BitSet();
        bits.LoadFrom([0xFF, 0x01, 0x80]);
        Assert.Equal(10, bits.Count);
        Assert.True(bits.Get(8) && bits.Get(23));
        Assert.False(bits.Get(9) || bits.Get(24));
        Assert.Equal(64, bits.Capacity);
    }

    [Fact]
    public void Concurrent_writers_to_the_same_words_lose_no_bit()
    {
        const int Bits = 1 << 16;
        const int Writers = 4;
        var bits = new BitSet(Bits);
        // Writer w sets every bit i with i % Writers == w: all writers hit every word at once.
        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, w =>
        {
            for (int i = w; i < Bits; i += Writers)
            {
                bits.Set(i);
            }
        });
        Assert.Equal(Bits, bits.Count);
        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, w =>
        {
            for (int i = w; i < Bits; i += 2 * Writers)
            {
                bits.Clear(i);
            }
        });
        Assert.Equal(Bits / 2, bits.Count);
        for (int i = 0; i < Bits; i++)
        {
            Assert.Equal(i % (2 * Writers) >= Writers, bits.Get(i));
        }
    }
}
