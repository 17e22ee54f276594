"""The local authority codes a previous permanence order may name (LA_PERM, rule 633).

Facts, not code: the DfE's three-digit codes of the English local authorities (the "old LA
codes" used across DfE collections), 999 for an authority not known, and WAL, SCO, NUK, NIR for
orders made in Wales, Scotland, Northern Ireland or outside the UK. Taken from the list the
open SSDA903 validator checks against (data-to-insight/csc-validator-be-903 at 10ad07c,
lac_validator/rules/lac2022_23/rule_633.py), which follows the DfE's SSDA903 guide.
"""

from __future__ import annotations

_ENGLISH = (
    "201 202 203 204 205 206 207 208 209 210 211 212 213 "
    "301 302 303 304 305 306 307 308 309 310 311 312 313 314 315 316 317 318 319 320 "
    "330 331 332 333 334 335 336 340 341 342 343 344 350 351 352 353 354 355 356 357 358 359 "
    "370 371 372 373 380 381 382 383 384 390 391 392 393 394 420 "
    "800 801 802 803 805 806 807 808 810 811 812 813 815 816 821 822 823 825 826 830 831 "
    "835 836 837 840 841 845 846 850 851 852 855 856 857 860 861 865 866 867 868 869 870 "
    "871 872 873 874 876 877 878 879 880 881 882 883 884 885 886 887 888 889 890 891 892 "
    "893 894 895 896 908 909 916 919 921 925 926 928 929 931 933 935 936 937 938"
)
#: Valid LA_PERM values.
LA_PERM_CODES = frozenset(_ENGLISH.split()) | {"999", "WAL", "SCO", "NUK", "NIR"}
