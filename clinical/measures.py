"""The outcome-measure instruments."""

from clinical.codes import Code


class Instrument(Code):
    NPRS = "nprs", "Numeric Pain Rating Scale (NPRS)"
    LEFS = "lefs", "Lower Extremity Functional Scale (LEFS)"
    KOOS = "koos", "Knee injury and Osteoarthritis Outcome Score (KOOS)"
    KOOS_PF = "koos_pf", "KOOS Patellofemoral (KOOS-PF)"
