# Example edit for ab.sh build: the k slab's depth, the B block's width and the widest B read in
# place read system properties (-Dkc=, -Dncm= columns in units of NR, -Dipl=) instead of constants.
import re
s = open('GemmDriver.java').read()
s, n = re.subn(r'static final int KC = [^;]+;', 'static final int KC = Integer.getInteger("kc", 256);', s)
assert n == 1, 'KC not found'
s, n = re.subn(r'static final int NC = [^;]+;', 'static final int NC = Integer.getInteger("ncm", 32 * 256 / KC) * NR;', s)
assert n == 1, 'NC not found'
s, n = re.subn(r'static final int IN_PLACE_MAX_LDB = ([^;]+);', r'static final int IN_PLACE_MAX_LDB = Integer.getInteger("ipl", \1);', s)
assert n == 1, 'IN_PLACE_MAX_LDB not found'
open('GemmDriver.java', 'w').write(s)
