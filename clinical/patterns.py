"""The knee patterns an intake may suggest; a program template serves at most one."""

from clinical.codes import Code


class KneePattern(Code):
    PATELLOFEMORAL_PAIN = "patellofemoral_pain", "Patellofemoral pain"
    ILIOTIBIAL_BAND_SYNDROME = "iliotibial_band_syndrome", "Iliotibial band syndrome"
    PATELLAR_TENDINOPATHY = "patellar_tendinopathy", "Patellar tendinopathy"
    MEDIAL_KNEE = "medial_knee", "Medial knee"
    POSTERIOR_KNEE = "posterior_knee", "Posterior knee"
    JOINT_IRRITATION = "joint_irritation", "Joint irritation"
