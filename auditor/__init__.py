"""contact-auditor: how hard does a company's website make it to reach a human?"""

__version__ = "0.1.0"
