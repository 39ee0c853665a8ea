namespace AlexNet.Autograd.Cpu;

// The tile shapes the AVX-512 micro-kernel is specialised for: widths 0 (16 columns) and 1 (32), even row counts.
internal readonly struct Const0 : ITileConstant { public static int Value => 0; }
internal readonly struct Const1 : ITileConstant { public static int Value => 1; }
internal readonly struct Const2 : ITileConstant { public static int Value => 2; }
internal readonly struct Const4 : ITileConstant { public static int Value => 4; }
internal readonly struct Const6 : ITileConstant { public static int Value => 6; }
internal readonly struct Const8 : ITileConstant { public static int Value => 8; }
internal readonly struct Const10 : ITileConstant { public static int Value => 10; }
internal readonly struct Const12 : ITileConstant { public static int Value => 12; }
internal readonly struct Const14 : ITileConstant { public static int Value => 14; }
